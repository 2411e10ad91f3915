// amplify-mfa.mjs drives a running Cognate through Amplify JS v6's MFA APIs
// with TOTP codes computed here (RFC 6238 over node's HMAC-SHA1), and prints
// one JSON object describing what happened. It throws (exit status 1) at the
// first mismatch. test/integration/interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=tess COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_OPTIONAL_POOL_ID=us-east-1_... COGNATE_OPTIONAL_CLIENT_ID=... \
//	COGNATE_REQUIRED_POOL_ID=us-east-1_... COGNATE_REQUIRED_CLIENT_ID=... \
//	COGNATE_BIN=./cognate COGNATE_DATA_DIR=./cognate-data node test/js/amplify-mfa.mjs
//
// Both pools offer TOTP MFA, the first as OPTIONAL, the second as ON; their
// clients allow USER_SRP_AUTH and REFRESH_TOKEN_AUTH. In the first, a
// signed-in user sets up an authenticator (setUpTOTP, verifyTOTPSetup),
// prefers it (updateMFAPreference) and signs in again through
// CONFIRM_SIGN_IN_WITH_TOTP_CODE. In the second, a new user's first sign-in
// sets the authenticator up on the way (CONTINUE_SIGN_IN_WITH_TOTP_SETUP).
// Sign-up codes come from Cognate's outbox (`cognate messages`).

import { Amplify } from 'aws-amplify';
import {
	confirmSignIn,
	confirmSignUp,
	fetchAuthSession,
	fetchMFAPreference,
	setUpTOTP,
	signIn,
	signOut,
	signUp,
	updateMFAPreference,
	verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, expectCalls, mark, memoryStorage, outboxCode, rejects, since, totp, trace } from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const cognateBin = env('COGNATE_BIN');

// otherCode is a six-digit code that is not code.
const otherCode = (code) => (code === '000000' ? '111111' : '000000');
// inAStep is a time in the next 30-second step: its code is accepted one
// step early, and is not the one that verified the authenticator.
const inAStep = () => Date.now() + 30_000;
const flows = (m) => since(m).map((e) => e.flow ?? e.challenge ?? e.op);

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);

function configure(userPoolId, userPoolClientId) {
	Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } } });
}

async function signUpConfirmed(userPoolId, name) {
	await signUp({ username: name, password, options: { userAttributes: { email: `${name}@example.com` } } });
	await confirmSignUp({ username: name, confirmationCode: outboxCode(cognateBin, userPoolId, name) });
}

const result = { optional: {}, required: {} };

// ---- MFA OPTIONAL: set up TOTP while signed in, then sign in with it -----

const optionalPool = env('COGNATE_OPTIONAL_POOL_ID');
configure(optionalPool, env('COGNATE_OPTIONAL_CLIENT_ID'));
await signUpConfirmed(optionalPool, username);
let m = mark();
equal((await signIn({ username, password })).nextStep.signInStep, 'DONE', 'signIn before MFA');

m = mark();
const details = await setUpTOTP();
const secret = details.sharedSecret;
check(/^[A-Z2-7]{52}$/.test(secret), 'setUpTOTP sharedSecret', secret);
const uri = details.getSetupUri('Cognate', username).toString();
check(uri.startsWith('otpauth://totp/Cognate:') && uri.includes(`secret=${secret}`), 'setUpTOTP getSetupUri', uri);
expectCalls(m, ['AssociateSoftwareToken'], 'setUpTOTP');

await rejects(
	() => verifyTOTPSetup({ code: otherCode(totp(secret)) }),
	'EnableSoftwareTokenMFAException',
	'verifyTOTPSetup with a wrong code',
);
m = mark();
await verifyTOTPSetup({ code: totp(secret), options: { friendlyDeviceName: 'node' } });
expectCalls(m, ['VerifySoftwareToken'], 'verifyTOTPSetup');

m = mark();
await updateMFAPreference({ totp: 'PREFERRED' });
expectCalls(m, ['SetUserMFAPreference'], 'updateMFAPreference');
const preference = await fetchMFAPreference();
equal(preference.preferred, 'TOTP', 'fetchMFAPreference preferred');
equal(JSON.stringify(preference.enabled), '["TOTP"]', 'fetchMFAPreference enabled');
await signOut();

m = mark();
const challenged = await signIn({ username, password });
equal(challenged.isSignedIn, false, 'signIn with TOTP isSignedIn');
equal(challenged.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'signIn with TOTP next step');
await rejects(
	() => confirmSignIn({ challengeResponse: otherCode(totp(secret, inAStep())) }),
	'CodeMismatchException',
	'confirmSignIn with a wrong TOTP code',
);
// The same sign-in goes on after a wrong code.
const signedIn = await confirmSignIn({ challengeResponse: totp(secret, inAStep()) });
equal(signedIn.isSignedIn, true, 'confirmSignIn isSignedIn');
equal(signedIn.nextStep.signInStep, 'DONE', 'confirmSignIn next step');
result.optional.signInFlow = flows(m);
const { tokens } = await fetchAuthSession();
check(tokens?.accessToken && tokens?.idToken, 'tokens after TOTP sign-in', tokens);
equal(tokens.idToken.payload['cognito:username'], username, 'ID token cognito:username');
result.optional.accessToken = tokens.accessToken.payload;
await signOut();

// ---- MFA ON: the first sign-in sets TOTP up --------------------------------

const requiredPool = env('COGNATE_REQUIRED_POOL_ID');
configure(requiredPool, env('COGNATE_REQUIRED_CLIENT_ID'));
const newcomer = `${username}.new`;
await signUpConfirmed(requiredPool, newcomer);

m = mark();
const toSetUp = await signIn({ username: newcomer, password });
equal(toSetUp.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', 'signIn in an MFA pool next step');
const setupSecret = toSetUp.nextStep.totpSetupDetails?.sharedSecret;
check(/^[A-Z2-7]{52}$/.test(setupSecret ?? ''), 'totpSetupDetails sharedSecret', setupSecret);
expectCalls(m, ['InitiateAuth', 'RespondToAuthChallenge', 'AssociateSoftwareToken'], 'signIn to MFA_SETUP');
const setUp = await confirmSignIn({ challengeResponse: totp(setupSecret) });
equal(setUp.isSignedIn, true, 'confirmSignIn after TOTP set-up isSignedIn');
result.required.setUpFlow = flows(m);
await signOut();

m = mark();
const again = await signIn({ username: newcomer, password });
equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'second signIn in an MFA pool next step');
equal((await confirmSignIn({ challengeResponse: totp(setupSecret, inAStep()) })).isSignedIn, true, 'second sign-in isSignedIn');
result.required.signInFlow = flows(m);
await signOut();

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
