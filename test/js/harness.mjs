// harness.mjs holds what the interop scripts share: assertions, a traced
// fetch, the outbox reader, Amplify's token storage and RFC 6238 codes.
//
// Importing it replaces globalThis.fetch with a wrapper that records, for
// every request either library sends, the operation, the flow or challenge,
// the HTTP status and the error's __type: Amplify swallows some failures (a
// failed GlobalSignOut still "signs out"), and the trace shows which APIs it
// called.

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';

// env returns a required environment variable.
export function env(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set`);
	return v;
}

export function check(cond, what, got) {
	if (!cond) {
		throw new Error(`${what}${got === undefined ? '' : `: got ${JSON.stringify(got)}`}`);
	}
}

export function equal(got, want, what) {
	check(got === want, `${what}: want ${JSON.stringify(want)}`, got);
}

// rejects runs fn, which must fail with an error named name.
export async function rejects(fn, name, what) {
	try {
		await fn();
	} catch (err) {
		equal(err?.name, name, `${what} error (${err?.message})`);
		return err;
	}
	throw new Error(`${what}: succeeded, want ${name}`);
}

export const trace = [];
export const sentHeaders = new Set(); // names of the headers the libraries set
export const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
	const headers = new Headers(init.headers);
	for (const name of headers.keys()) sentHeaders.add(name);
	const target = headers.get('x-amz-target') ?? '';
	const entry = { op: target.replace(/^AWSCognitoIdentityProviderService\./, '') };
	try {
		const body = JSON.parse(init.body ?? '{}');
		if (body.AuthFlow) entry.flow = body.AuthFlow;
		if (body.ChallengeName) entry.challenge = body.ChallengeName;
	} catch {
		// not JSON: nothing to note
	}
	const resp = await realFetch(input, init);
	entry.status = resp.status;
	if (resp.status >= 400) {
		entry.error = (await resp.clone().json().catch(() => ({})))?.__type;
	}
	trace.push(entry);
	return resp;
};

// mark returns the trace's length, so that since(mark) lists what followed.
export const mark = () => trace.length;
export const since = (m) => trace.slice(m);
export const ops = (m) => since(m).map((e) => e.op);

// expectCalls checks the calls made since m, in order, each as "Op" or
// "Op:status".
export function expectCalls(m, want, what) {
	const got = since(m).map((e) => `${e.op}:${e.status}`);
	const norm = want.map((w) => (w.includes(':') ? w : `${w}:200`));
	equal(JSON.stringify(got), JSON.stringify(norm), `${what}: calls`);
}

// outboxCode reads the newest code sent to a user from Cognate's outbox
// with the real `cognate messages` subcommand, which finds the server's
// store through the same COGNATE_* variables as `cognate serve`.
export function outboxCode(cognateBin, pool, user) {
	const out = execFileSync(cognateBin, ['messages', '--pool', pool, '--user', user], {
		encoding: 'utf8',
		env: process.env,
	});
	const lines = out.trim().split('\n').filter(Boolean);
	check(lines.length > 0, `no outbox message for ${user}`);
	const code = JSON.parse(lines.at(-1)).code;
	check(/^\d{6}$/.test(code ?? ''), 'outbox code', code);
	return code;
}

// memoryStorage returns the key-value storage Amplify keeps tokens in, and
// its map. Amplify falls back to memory in Node anyway; this one lets a
// script read the refresh token Amplify does not expose.
export function memoryStorage() {
	const memory = new Map();
	return {
		memory,
		storage: {
			async setItem(k, v) {
				memory.set(k, v);
			},
			async getItem(k) {
				return memory.get(k) ?? null;
			},
			async removeItem(k) {
				memory.delete(k);
			},
			async clear() {
				memory.clear();
			},
		},
	};
}

// totp computes the RFC 6238 code an authenticator app shows for a
// base32 secret at a time (milliseconds): HMAC-SHA1, 30-second steps, six
// digits, as Cognito's authenticators use.
export function totp(secret, at = Date.now()) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of secret.replace(/=+$/, '').toUpperCase()) {
		const v = alphabet.indexOf(c);
		check(v >= 0, 'base32 secret', secret);
		bits += v.toString(2).padStart(5, '0');
	}
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
	const mac = createHmac('sha1', key).update(counter).digest();
	const offset = mac[mac.length - 1] & 0xf;
	const value = mac.readUInt32BE(offset) & 0x7fffffff;
	return String(value % 1_000_000).padStart(6, '0');
}
