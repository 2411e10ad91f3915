// amplify-devices.mjs drives a running Cognate through remembered devices
// with Amplify JS v6 (rememberDevice, fetchDevices, forgetDevice, and signIn
// skipping TOTP on a remembered device) and amazon-cognito-identity-js
// (setDeviceStatusRemembered, device sign-in, and its retry without a device
// key Cognate no longer knows), and prints one JSON object describing what
// happened. It throws (exit status 1) at the first mismatch.
// test/integration/interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=dora COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... \
//	COGNATE_BIN=./cognate COGNATE_DATA_DIR=./cognate-data node test/js/amplify-devices.mjs
//
// The pool tracks devices (ChallengeRequiredOnNewDevice and
// DeviceOnlyRememberedOnUserPrompt) and offers TOTP MFA as OPTIONAL; its
// client allows USER_SRP_AUTH and REFRESH_TOKEN_AUTH.

import { Amplify } from 'aws-amplify';
import {
	confirmSignIn,
	confirmSignUp,
	fetchAuthSession,
	fetchDevices,
	forgetDevice,
	rememberDevice,
	setUpTOTP,
	signIn,
	signOut,
	signUp,
	updateMFAPreference,
	verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import identity from 'amazon-cognito-identity-js';
import { check, env, equal, mark, memoryStorage, outboxCode, since, totp, trace } from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const cognateBin = env('COGNATE_BIN');
const userPoolId = env('COGNATE_POOL_ID');
const userPoolClientId = env('COGNATE_CLIENT_ID');

// Amplify names a device after navigator's user agent when it confirms it,
// and gives up on the device when there is no navigator, as in Node.js 20.
globalThis.navigator ??= { userAgent: 'Node.js (cognate interop)' };

// nextCode is the code of the next 30-second step, which is accepted one
// step early and is not the one that verified the authenticator.
const nextCode = (secret) => totp(secret, Date.now() + 30_000);
const flows = (m) => since(m).map((e) => e.flow ?? e.challenge ?? e.op);
// accessToken returns the payload of the access token Amplify holds.
const accessToken = async () => (await fetchAuthSession()).tokens?.accessToken?.payload;

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } } });

async function signUpConfirmed(name) {
	await signUp({ username: name, password, options: { userAttributes: { email: `${name}@example.com` } } });
	await confirmSignUp({ username: name, confirmationCode: outboxCode(cognateBin, userPoolId, name) });
}

const result = { amplify: {}, identityJs: {} };

// ---- Amplify JS v6 ----------------------------------------------------------

await signUpConfirmed(username);
let m = mark();
equal((await signIn({ username, password })).nextStep.signInStep, 'DONE', 'first signIn');
// Amplify confirms the new device itself; it is not remembered yet.
result.amplify.firstSignIn = flows(m);
const firstDevice = (await accessToken()).device_key;
check(/^us-east-1_[0-9a-f-]{36}$/.test(firstDevice ?? ''), 'device_key claim after the first sign-in', firstDevice);
equal((await fetchDevices()).length, 0, 'fetchDevices before rememberDevice');

const secret = (await setUpTOTP()).sharedSecret;
await verifyTOTPSetup({ code: totp(secret) });
await updateMFAPreference({ totp: 'PREFERRED' });
await signOut();

// The device is confirmed but not remembered: TOTP, then device SRP.
m = mark();
const challenged = await signIn({ username, password });
equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'signIn with a device not remembered');
equal((await confirmSignIn({ challengeResponse: nextCode(secret) })).isSignedIn, true, 'confirmSignIn');
result.amplify.notRememberedSignIn = flows(m);
equal((await accessToken()).device_key, firstDevice, 'device_key after device SRP');

m = mark();
await rememberDevice();
const devices = await fetchDevices();
equal(devices.length, 1, 'fetchDevices after rememberDevice');
equal(devices[0].id, firstDevice, 'fetchDevices device id');
equal(devices[0].attributes?.['dev:device_remembered_status'], 'remembered', 'fetchDevices remembered status');
check(devices[0].name, 'fetchDevices device name', devices[0]);
result.amplify.rememberCalls = flows(m);
await signOut();

// Remembered: no TOTP.
m = mark();
const skipped = await signIn({ username, password });
equal(skipped.nextStep.signInStep, 'DONE', 'signIn with a remembered device');
result.amplify.rememberedSignIn = flows(m);
m = mark();
const refreshed = await fetchAuthSession({ forceRefresh: true });
check(refreshed.tokens?.accessToken, 'tokens after a forced refresh', refreshed);
equal(refreshed.tokens.accessToken.payload.device_key, firstDevice, 'device_key after refresh');
result.amplify.refreshCalls = flows(m);

// Forgotten, the device no longer skips MFA. (The sign-in stops at the TOTP
// code: the authenticator's next code is not valid for half a minute.)
m = mark();
await forgetDevice();
equal((await fetchDevices()).length, 0, 'fetchDevices after forgetDevice');
await signOut();
const again = await signIn({ username, password });
equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'signIn after forgetDevice');
result.amplify.forgetFlow = flows(m);

// ---- amazon-cognito-identity-js ---------------------------------------------

const idUser = `${username}.identity`;
await signUpConfirmed(idUser);
const pool = new identity.CognitoUserPool({ UserPoolId: userPoolId, ClientId: userPoolClientId, endpoint });
const newUser = () => new identity.CognitoUser({ Username: idUser, Pool: pool });
const authenticate = (user) =>
	new Promise((resolve, reject) => {
		user.authenticateUser(new identity.AuthenticationDetails({ Username: idUser, Password: password }), {
			onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
			onFailure: reject,
			totpRequired: () => reject(new Error('unexpected totpRequired')),
			mfaRequired: () => reject(new Error('unexpected mfaRequired')),
		});
	});
const call = (user, method, ...args) =>
	new Promise((resolve, reject) =>
		user[method](...args, { onSuccess: resolve, onFailure: reject }),
	);

m = mark();
let user = newUser();
const signedUp = await authenticate(user);
equal(signedUp.userConfirmationNecessary, true, 'identity-js UserConfirmationNecessary');
await call(user, 'setDeviceStatusRemembered');
result.identityJs.firstSignIn = flows(m);
const prefix = `CognitoIdentityServiceProvider.${userPoolClientId}.${idUser}`;
const idDevice = pool.storage.getItem(`${prefix}.deviceKey`);
check(idDevice, 'identity-js cached device key');

// A new CognitoUser sends the cached key with its PASSWORD_VERIFIER answer.
m = mark();
user = newUser();
const withDevice = await authenticate(user);
equal(withDevice.session.getAccessToken().decodePayload().device_key, idDevice, 'identity-js device_key');
result.identityJs.deviceSignIn = flows(m);

// A device key Cognate does not know: identity-js drops it and retries.
pool.storage.setItem(`${prefix}.deviceKey`, 'us-east-1_00000000-0000-4000-8000-000000000000');
m = mark();
user = newUser();
const retried = await authenticate(user);
check(retried.session.isValid(), 'identity-js session after the retry');
result.identityJs.staleKeySignIn = since(m).map((e) => `${e.flow ?? e.challenge ?? e.op}:${e.status}`);

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
