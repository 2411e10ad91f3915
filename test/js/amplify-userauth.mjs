// amplify-userauth.mjs drives a running Cognate through Amplify JS v6's
// choice-based sign-in (authFlowType USER_AUTH) and prints one JSON object
// describing what happened. It throws (exit status 1) at the first mismatch.
// test/integration/interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=uma COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... \
//	COGNATE_BIN=./cognate COGNATE_DATA_DIR=./cognate-data node test/js/amplify-userauth.mjs
//
// The pool allows PASSWORD and EMAIL_OTP as first factors and verifies email
// addresses; its client allows USER_AUTH and REFRESH_TOKEN_AUTH. A new user
// signs in with an emailed code it prefers (a wrong code first), then
// chooses the emailed code from the offered factors, then prefers
// PASSWORD_SRP. Codes come from Cognate's outbox (`cognate messages`).

import { Amplify } from 'aws-amplify';
import { confirmSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, mark, memoryStorage, outboxCode, rejects, since, trace } from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const cognateBin = env('COGNATE_BIN');
const userPoolId = env('COGNATE_POOL_ID');

const otherCode = (code) => (code === '000000' ? '111111' : '000000');
const flows = (m) => since(m).map((e) => e.flow ?? e.challenge ?? e.op);

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId: env('COGNATE_CLIENT_ID'), userPoolEndpoint: endpoint } } });

await signUp({ username, password, options: { userAttributes: { email: `${username}@example.com` } } });
await confirmSignUp({ username, confirmationCode: outboxCode(cognateBin, userPoolId, username) });

const result = {};

// ---- preferred EMAIL_OTP ----------------------------------------------------
let m = mark();
const preferred = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
equal(preferred.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'signIn preferring EMAIL_OTP next step');
const code = outboxCode(cognateBin, userPoolId, username);
await rejects(() => confirmSignIn({ challengeResponse: otherCode(code) }), 'CodeMismatchException', 'confirmSignIn with a wrong code');
const done = await confirmSignIn({ challengeResponse: code });
equal(done.isSignedIn, true, 'confirmSignIn with the emailed code isSignedIn');
result.preferredFlow = flows(m);
const { tokens } = await fetchAuthSession();
check(tokens?.accessToken && tokens?.idToken, 'tokens after EMAIL_OTP sign-in', tokens);
equal(tokens.idToken.payload['cognito:username'], username, 'ID token cognito:username');
await signOut();

// ---- SELECT_CHALLENGE, then EMAIL_OTP ---------------------------------------
m = mark();
const choose = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
equal(choose.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'signIn without a preference next step');
result.availableChallenges = choose.nextStep.availableChallenges;
const chosen = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'confirmSignIn choosing EMAIL_OTP next step');
const signedIn = await confirmSignIn({ challengeResponse: outboxCode(cognateBin, userPoolId, username) });
equal(signedIn.isSignedIn, true, 'chosen EMAIL_OTP sign-in isSignedIn');
result.selectFlow = flows(m);
await signOut();

// ---- preferred PASSWORD_SRP -------------------------------------------------
m = mark();
const srp = await signIn({ username, password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } });
equal(srp.isSignedIn, true, 'signIn preferring PASSWORD_SRP isSignedIn');
result.srpFlow = flows(m);
await signOut();

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
