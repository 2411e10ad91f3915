// amplify-custom.mjs drives a running Cognate through Amplify JS v6's custom
// authentication (authFlowType CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP) and
// prints one JSON object describing what happened. It throws (exit status 1)
// at the first mismatch. test/integration/customauth_interop_test.go runs it;
// by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=cora COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... COGNATE_ANSWER=42 node test/js/amplify-custom.mjs
//
// The pool's custom authentication triggers ask a question whose answer is
// COGNATE_ANSWER (after the password, for CUSTOM_WITH_SRP); the user exists
// with the password. Without SRP the script answers wrong once, then right.

import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, mark, memoryStorage, since, trace } from './harness.mjs';

const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const answer = env('COGNATE_ANSWER');
const flows = (m) => since(m).map((e) => e.flow ?? e.challenge ?? e.op);

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
Amplify.configure({
	Auth: { Cognito: { userPoolId: env('COGNATE_POOL_ID'), userPoolClientId: env('COGNATE_CLIENT_ID'), userPoolEndpoint: env('COGNATE_ENDPOINT') } },
});

const result = {};

async function signedIn(what) {
	const { tokens } = await fetchAuthSession();
	check(tokens?.accessToken && tokens?.idToken, `tokens after ${what}`, tokens);
	equal(tokens.idToken.payload['cognito:username'], username, `${what}: ID token cognito:username`);
	await signOut();
}

// ---- CUSTOM_WITHOUT_SRP: a wrong answer, then the right one -----------------
let m = mark();
const asked = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
equal(asked.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', 'signIn CUSTOM_WITHOUT_SRP next step');
result.additionalInfo = asked.nextStep.additionalInfo;
const again = await confirmSignIn({ challengeResponse: `${answer}-wrong` });
equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', 'confirmSignIn with a wrong answer next step');
const done = await confirmSignIn({ challengeResponse: answer });
equal(done.isSignedIn, true, 'confirmSignIn with the right answer isSignedIn');
result.withoutSRP = flows(m);
await signedIn('CUSTOM_WITHOUT_SRP');

// ---- CUSTOM_WITH_SRP: the password, then the question ------------------------
m = mark();
const srp = await signIn({ username, password, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
equal(srp.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', 'signIn CUSTOM_WITH_SRP next step');
const srpDone = await confirmSignIn({ challengeResponse: answer });
equal(srpDone.isSignedIn, true, 'CUSTOM_WITH_SRP isSignedIn');
result.withSRP = flows(m);
await signedIn('CUSTOM_WITH_SRP');

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
