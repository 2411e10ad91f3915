// srp-vectors.mjs prints known-answer vectors for Cognito's SRP-6a variant,
// computed by the real client libraries: amazon-cognito-identity-js
// (AuthenticationHelper, DateHelper) and Amplify JS v6 (@aws-amplify/auth's
// internal SRP helper). Both must agree on every value, or the script fails.
// Besides users' sign-ins it covers remembered devices: the verifier a client
// registers with ConfirmDevice and the device's DEVICE_PASSWORD_VERIFIER claim.
//
// The server side of each case (verifier v = g^x, B = k·v + g^b) is computed
// here with the library's own BigInteger, from the x that the library derived
// while it computed the client's key.
//
// Regenerate the committed file from the repository root with:
//
//	node test/js/srp-vectors.mjs > internal/srp/testdata/cognito-identity-js-vectors.json
//
// Everything is deterministic: the random a and b, and the device password and
// salt, are replaced by fixed values derived from SHA-256 of a label.

import { createRequire } from 'node:module';
import { createHash, createHmac } from 'node:crypto';

const require = createRequire(import.meta.url);
const cij = 'amazon-cognito-identity-js';
const IdentityHelper = require(`${cij}/lib/AuthenticationHelper`).default;
const IdentityBigInteger = require(`${cij}/lib/BigInteger`).default;
const IdentityDateHelper = require(`${cij}/lib/DateHelper`).default;
const { Sha256 } = require('@aws-crypto/sha256-js');
const identityVersion = require(`${cij}/package.json`).version;

const amplifySrp = new URL(
	'./node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/',
	import.meta.url,
);
const { default: AmplifyHelper } = await import(
	new URL('AuthenticationHelper/AuthenticationHelper.mjs', amplifySrp)
);
const { default: AmplifyBigInteger } = await import(
	new URL('BigInteger/BigInteger.mjs', amplifySrp)
);
const { calculateA } = await import(new URL('calculate/calculateA.mjs', amplifySrp));
const { INIT_N } = await import(new URL('constants.mjs', amplifySrp));
const { getNowString } = await import(new URL('getNowString.mjs', amplifySrp));
const { getBytesFromHex } = await import(new URL('getBytesFromHex.mjs', amplifySrp));
const { base64Encoder } = await import('@aws-amplify/core/internals/utils');
const { getSignatureString } = await import(
	new URL('getSignatureString.mjs', amplifySrp)
);
const amplifyVersion = require('@aws-amplify/auth/package.json').version;

// fixedBytes returns n bytes derived from label: SHA-256(label | counter)...
function fixedBytes(label, n) {
	const parts = [];
	for (let i = 0; parts.length * 32 < n; i++) {
		parts.push(createHash('sha256').update(`${label}/${i}`).digest());
	}
	return Buffer.concat(parts).subarray(0, n);
}

function check(what, got, want) {
	if (got !== want) {
		throw new Error(`${what}: amazon-cognito-identity-js ${want} != Amplify ${got}`);
	}
}

// --- amazon-cognito-identity-js ---------------------------------------------

let nextSmallA = null;
IdentityHelper.prototype.generateRandomSmallA = function fixedSmallA() {
	if (nextSmallA === null) {
		throw new Error('no fixed a set');
	}
	return nextSmallA;
};

function identityKey(helper, userId, password, B, salt) {
	const captured = {};
	const calculateS = helper.calculateS;
	helper.calculateS = function capture(x, serverB, callback) {
		captured.x = x;
		calculateS.call(this, x, serverB, (err, S) => {
			captured.S = S;
			callback(err, S);
		});
	};
	helper.getPasswordAuthenticationKey(userId, password, B, salt, (err, key) => {
		if (err) throw err;
		captured.key = Buffer.from(key);
	});
	helper.calculateS = calculateS;
	if (!captured.key) throw new Error('getPasswordAuthenticationKey did not call back synchronously');
	captured.u = helper.UValue;
	return captured;
}

// identitySignature signs the claim exactly as CognitoUser.authenticateUserDefaultAuth does.
function identitySignature(key, poolName, userId, secretBlock, timestamp) {
	const message = Buffer.concat([
		Buffer.from(poolName, 'utf8'),
		Buffer.from(userId, 'utf8'),
		Buffer.from(secretBlock, 'base64'),
		Buffer.from(timestamp, 'utf8'),
	]);
	const mac = new Sha256(key);
	mac.update(message);
	return Buffer.from(mac.digestSync()).toString('base64');
}

function modPow(base, exp, mod) {
	let out;
	base.modPow(exp, mod, (err, r) => {
		if (err) throw err;
		out = r;
	});
	return out;
}

// --- the cases --------------------------------------------------------------

const pools = ['us-east-1_AbCdEf123', 'eu-west-2_Zz9YyXx8w'];
const grace = { pool: 0, userId: 'grace', password: 'S3arch!ng', salt: '3c4d5e6f708192a3b4c5d6e7f8091a2b' };
const cases = [
	{ name: 'ascii', pool: 0, userId: 'alice', password: 'Passw0rd!', salt: '5a1f0c3e9b7d2a4c6e8f0a1b2c3d4e5f' },
	{ name: 'salt-leading-zero-byte', pool: 0, userId: 'bob', password: 'correct horse battery staple', salt: '00b3c4d5e6f708192a3b4c5d6e7f8091' },
	{ name: 'salt-high-bit', pool: 0, userId: 'carol', password: 'Tr0ub4dor&3', salt: 'f1e2d3c4b5a697887766554433221100' },
	{ name: 'salt-zero-then-high-bit', pool: 1, userId: 'dave', password: 'hunter2hunter2', salt: '0080a1b2c3d4e5f60718293a4b5c6d7e' },
	{ name: 'salt-two-zero-bytes', pool: 1, userId: 'erin', password: 'x', salt: '00000f1e2d3c4b5a6978879605a4b3c2' },
	{ name: 'uuid-user-id', pool: 0, userId: '3f2b9c1e-8d4a-4f6b-9e2d-7c1a5b3e9f04', password: 'Sup3r$ecret', salt: '7e6d5c4b3a29180716253443526170ff' },
	{ name: 'non-ascii-user', pool: 1, userId: 'Bjørn-Ødegård', password: 'pässwörd€', salt: '9a8b7c6d5e4f30211203f4e5d6c7b8a9' },
	{ name: 'cjk-user', pool: 0, userId: '用户名', password: '密码Password1', salt: '1234567890abcdef1234567890abcdef' },
	{ name: 'emoji-password', pool: 1, userId: 'zoë', password: '🔐 long password with spaces and emoji 🙂', salt: '80000000000000000000000000000001' },
	{ name: 'empty-password', pool: 0, userId: 'frank', password: '', salt: '0102030405060708090a0b0c0d0e0f10' },
	// The seed numbers below were searched for so that padHex changes the
	// byte length of what the protocol hashes: u, S, A and B each get a case
	// where the integer has a leading zero byte followed by one below 0x80.
	{ name: 'u-leading-zero-byte', bSeed: 'u-leading-zero-byte 1321', ...grace },
	{ name: 'B-leading-zero-byte', bSeed: 'B-leading-zero-byte 785', ...grace },
	{ name: 'S-leading-zero-byte', bSeed: 'S-leading-zero-byte 21', ...grace },
	{ name: 'A-leading-zero-byte', aSeed: 'A-leading-zero-byte 158', ...grace },
];
const timestamps = [
	Date.UTC(2026, 10, 3, 9, 4, 5),
	Date.UTC(2026, 10, 13, 23, 59, 59),
	Date.UTC(2028, 1, 29, 0, 0, 0),
	Date.UTC(2027, 0, 1, 12, 30, 7),
	Date.UTC(2030, 6, 9, 1, 2, 3),
];

function withFixedNow(millis, fn) {
	const RealDate = globalThis.Date;
	class FixedDate extends RealDate {
		constructor(...args) {
			if (args.length === 0) super(millis);
			else super(...args);
		}
		static now() {
			return millis;
		}
	}
	globalThis.Date = FixedDate;
	try {
		return fn();
	} finally {
		globalThis.Date = RealDate;
	}
}

const timestampVectors = timestamps.map(millis => {
	const identity = withFixedNow(millis, () => new IdentityDateHelper().getNowString());
	const amplify = withFixedNow(millis, () => getNowString());
	check(`timestamp ${millis}`, amplify, identity);
	return { unixMillis: millis, iso: new Date(millis).toISOString(), timestamp: identity };
});

const out = [];
for (const [i, c] of cases.entries()) {
	const poolId = pools[c.pool];
	const poolName = poolId.split('_')[1];
	const smallA = new IdentityBigInteger(fixedBytes(`cognate srp vector a ${c.aSeed ?? c.name}`, 128).toString('hex'), 16);
	const smallB = new IdentityBigInteger(fixedBytes(`cognate srp vector b ${c.bSeed ?? c.name}`, 32).toString('hex'), 16);
	const secretBlock = fixedBytes(`cognate srp vector secret block ${c.name}`, 48 + 17 * i).toString('base64');
	const timestamp = timestampVectors[i % timestampVectors.length].timestamp;

	nextSmallA = smallA;
	const helper = new IdentityHelper(poolName);
	nextSmallA = null;
	const N = helper.N;
	const g = helper.g;
	const k = helper.k;

	// SALT as a Cognito server would send it: the integer in hex.
	const saltParam = new IdentityBigInteger(c.salt, 16).toString(16);
	const salt = new IdentityBigInteger(saltParam, 16);

	// First pass with a placeholder B only to learn x (x does not depend on B).
	const probe = identityKey(helper, c.userId, c.password, g, salt);
	const verifier = modPow(g, probe.x, N);
	const B = k.multiply(verifier).add(modPow(g, smallB, N)).mod(N);

	const r = identityKey(helper, c.userId, c.password, B, salt);
	const signature = identitySignature(r.key, poolName, c.userId, secretBlock, timestamp);

	// Amplify v6 with the same a, fed the same wire strings.
	const aA = new AmplifyBigInteger(smallA.toString(16), 16);
	const aN = new AmplifyBigInteger(INIT_N, 16);
	const aG = new AmplifyBigInteger('2', 16);
	const amplify = new AmplifyHelper({
		userPoolName: poolName,
		a: aA,
		g: aG,
		A: await calculateA({ a: aA, g: aG, N: aN }),
		N: aN,
	});
	check('k', amplify.k.toString(16), k.toString(16));
	check('A', amplify.A.toString(16), helper.largeAValue.toString(16));
	const amplifyKey = await amplify.getPasswordAuthenticationKey({
		username: c.userId,
		password: c.password,
		serverBValue: new AmplifyBigInteger(B.toString(16), 16),
		salt: new AmplifyBigInteger(saltParam, 16),
	});
	check('HKDF key', Buffer.from(amplifyKey).toString('hex'), r.key.toString('hex'));
	const amplifySignature = getSignatureString({
		userPoolName: poolName,
		username: c.userId,
		challengeParameters: { SECRET_BLOCK: secretBlock },
		dateNow: timestamp,
		hkdf: amplifyKey,
	});
	check('signature', amplifySignature, signature);

	out.push({
		name: c.name,
		poolId,
		poolName,
		userId: c.userId,
		password: c.password,
		salt: c.salt,
		saltParam,
		a: smallA.toString(16),
		A: helper.largeAValue.toString(16),
		x: r.x.toString(16),
		verifier: verifier.toString(16),
		b: smallB.toString(16),
		B: B.toString(16),
		u: r.u.toString(16),
		S: r.S.toString(16),
		hkdfKey: r.key.toString('hex'),
		secretBlock,
		timestamp,
		signature,
	});
}

// Neither library implements SECRET_HASH; these come from node:crypto with the
// formula from Cognito's documentation: base64(HMAC-SHA256(secret, username | clientId)).
const secretHashes = [
	['alice', '1example23456789abcdefghij', 'example-client-secret-0123456789abcdefghijklmnopqrstuv'],
	['Bjørn-Ødegård', '7abcdefghijklmnopqrstuvwxy', 's3cr3t'],
	['3f2b9c1e-8d4a-4f6b-9e2d-7c1a5b3e9f04', '4mn0pqrstuv1234567890abcde', ''],
].map(([username, clientId, clientSecret]) => ({
	username,
	clientId,
	clientSecret,
	secretHash: createHmac('sha256', clientSecret).update(username + clientId).digest('base64'),
}));

// --- remembered devices -----------------------------------------------------
//
// After a sign-in that returns NewDeviceMetadata, the client draws a random
// device password (40 bytes, base64) and a 16-byte salt, and sends ConfirmDevice
// a verifier computed as for a user, with the DeviceGroupKey in the pool
// name's place and the DeviceKey as the user id. Device sign-in
// (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) is then the user SRP exchange
// with those three values, the claim signed over DeviceGroupKey | DeviceKey |
// SECRET_BLOCK | TIMESTAMP. Both libraries draw their random bytes through
// crypto.getRandomValues, which is fed fixed bytes here.

// withRandomBytes runs fn while crypto.getRandomValues hands out buf in
// order, four bytes a word as WordArray reads them, and checks fn used it all.
async function withRandomBytes(buf, fn) {
	const real = globalThis.crypto.getRandomValues;
	let at = 0;
	globalThis.crypto.getRandomValues = (array) => {
		if (!(array instanceof Uint32Array)) throw new Error('fixed random bytes: want a Uint32Array');
		for (let i = 0; i < array.length; i++, at += 4) {
			if (at + 4 > buf.length) throw new Error('fixed random bytes: exhausted');
			array[i] = buf.readUInt32BE(at);
		}
		return array;
	};
	try {
		const out = await fn();
		if (at !== buf.length) throw new Error(`fixed random bytes: ${buf.length - at} left unused`);
		return out;
	} finally {
		globalThis.crypto.getRandomValues = real;
	}
}

const deviceCases = [
	{ name: 'device', pool: 0, deviceGroupKey: '-v7w9UcY6', saltSeed: 'device' },
	// The salt is drawn as 16 bytes, then sent as the integer's padHex: one
	// byte longer when its top bit is set, shorter with leading zero bytes.
	{ name: 'device-salt-high-bit', pool: 1, deviceGroupKey: '-ExAmPlE1', salt: 'c0ffee00112233445566778899aabbcc' },
	{ name: 'device-salt-leading-zero-byte', pool: 0, deviceGroupKey: '-wt2ha1Zd', salt: '003c4d5e6f708192a3b4c5d6e7f80910' },
	// The seed was searched for so that the verifier's top bit is clear, so
	// it is sent as 384 bytes, not 385.
	{ name: 'device-verifier-top-bit-clear', pool: 1, deviceGroupKey: '-nNwnPidS', saltSeed: 'device-verifier-top-bit-clear 1' },
];

const deviceOut = [];
for (const [i, c] of deviceCases.entries()) {
	const poolId = pools[c.pool];
	const deviceKey = `${poolId.split('_')[0]}_${createHash('sha256').update(`cognate device key ${c.name}`).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*$/, '$1-$2-4$3-a$4-$5')}`;
	const passwordBytes = fixedBytes(`cognate device password ${c.name}`, 40);
	const saltBytes = c.salt ? Buffer.from(c.salt, 'hex') : fixedBytes(`cognate device salt ${c.saltSeed}`, 16);
	const random = Buffer.concat([passwordBytes, saltBytes]);

	// ConfirmDevice as amazon-cognito-identity-js's authenticateUserInternal sends it.
	nextSmallA = IdentityBigInteger.ONE;
	const identity = new IdentityHelper('unused');
	nextSmallA = null;
	await withRandomBytes(random, () => new Promise((resolve, reject) =>
		identity.generateHashDevice(c.deviceGroupKey, deviceKey, (err) => (err ? reject(err) : resolve()))));
	const randomPassword = identity.getRandomPassword();
	const saltHex = identity.getSaltDevices();
	const verifierHex = identity.getVerifierDevices();
	const confirm = {
		Salt: Buffer.from(saltHex, 'hex').toString('base64'),
		PasswordVerifier: Buffer.from(verifierHex, 'hex').toString('base64'),
	};

	// The same with Amplify v6's getNewDeviceMetadata helpers.
	const amplifyHashing = new AmplifyHelper({ userPoolName: 'unused', a: new AmplifyBigInteger('1', 16), g: new AmplifyBigInteger('2', 16),
		A: new AmplifyBigInteger('2', 16), N: new AmplifyBigInteger(INIT_N, 16) });
	await withRandomBytes(random, () => amplifyHashing.generateHashDevice(c.deviceGroupKey, deviceKey));
	check('device password', amplifyHashing.getRandomPassword(), randomPassword);
	check('device salt', amplifyHashing.getSaltToHashDevices(), saltHex);
	check('device verifier', amplifyHashing.getVerifierDevices(), verifierHex);
	check('ConfirmDevice Salt', base64Encoder.convert(getBytesFromHex(amplifyHashing.getSaltToHashDevices())), confirm.Salt);
	check('ConfirmDevice PasswordVerifier', base64Encoder.convert(getBytesFromHex(amplifyHashing.getVerifierDevices())),
		confirm.PasswordVerifier);

	// Device sign-in: getDeviceResponse in amazon-cognito-identity-js.
	const smallA = new IdentityBigInteger(fixedBytes(`cognate device vector a ${c.name}`, 128).toString('hex'), 16);
	const smallB = new IdentityBigInteger(fixedBytes(`cognate device vector b ${c.name}`, 32).toString('hex'), 16);
	const secretBlock = fixedBytes(`cognate device vector secret block ${c.name}`, 64 + 13 * i).toString('base64');
	const timestamp = timestampVectors[(i + 1) % timestampVectors.length].timestamp;
	nextSmallA = smallA;
	const helper = new IdentityHelper(c.deviceGroupKey);
	nextSmallA = null;
	const verifier = new IdentityBigInteger(verifierHex, 16);
	const B = helper.k.multiply(verifier).add(modPow(helper.g, smallB, helper.N)).mod(helper.N);
	// SALT as the server sends it back: the stored salt as an integer.
	const saltParam = new IdentityBigInteger(saltHex, 16).toString(16);
	const r = identityKey(helper, deviceKey, randomPassword, B, new IdentityBigInteger(saltParam, 16));
	check('device verifier = g^x', modPow(helper.g, r.x, helper.N).toString(16), verifier.toString(16));
	const signature = identitySignature(r.key, c.deviceGroupKey, deviceKey, secretBlock, timestamp);

	// handleDeviceSRPAuth in Amplify v6, with the same a and wire strings.
	const aA = new AmplifyBigInteger(smallA.toString(16), 16);
	const aN = new AmplifyBigInteger(INIT_N, 16);
	const aG = new AmplifyBigInteger('2', 16);
	const amplify = new AmplifyHelper({ userPoolName: c.deviceGroupKey, a: aA, g: aG, A: await calculateA({ a: aA, g: aG, N: aN }), N: aN });
	check('device A', amplify.A.toString(16), helper.largeAValue.toString(16));
	const amplifyKey = await amplify.getPasswordAuthenticationKey({
		username: deviceKey,
		password: randomPassword,
		serverBValue: new AmplifyBigInteger(B.toString(16), 16),
		salt: new AmplifyBigInteger(saltParam, 16),
	});
	check('device HKDF key', Buffer.from(amplifyKey).toString('hex'), r.key.toString('hex'));
	check('device signature', getSignatureString({ userPoolName: c.deviceGroupKey, username: deviceKey,
		challengeParameters: { SECRET_BLOCK: secretBlock }, dateNow: timestamp, hkdf: amplifyKey }), signature);

	deviceOut.push({
		name: c.name,
		poolId,
		deviceGroupKey: c.deviceGroupKey,
		deviceKey,
		randomBytes: random.toString('hex'),
		devicePassword: randomPassword,
		salt: saltHex,
		verifier: verifierHex,
		confirmDevice: confirm,
		a: smallA.toString(16),
		A: helper.largeAValue.toString(16),
		x: r.x.toString(16),
		b: smallB.toString(16),
		B: B.toString(16),
		saltParam,
		u: r.u.toString(16),
		S: r.S.toString(16),
		hkdfKey: r.key.toString('hex'),
		secretBlock,
		timestamp,
		signature,
	});
}

nextSmallA = IdentityBigInteger.ONE;
const group = new IdentityHelper('group');
nextSmallA = null;
process.stdout.write(
	`${JSON.stringify(
		{
			comment: 'Generated by test/js/srp-vectors.mjs; do not edit. Both client libraries agreed on every value.',
			libraries: { 'amazon-cognito-identity-js': identityVersion, '@aws-amplify/auth': amplifyVersion },
			group: { N: group.N.toString(16), g: group.g.toString(16), k: group.k.toString(16) },
			cases: out,
			devices: deviceOut,
			timestamps: timestampVectors,
			secretHashes,
		},
		null,
		'\t',
	)}\n`,
);
