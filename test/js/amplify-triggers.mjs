// amplify-triggers.mjs drives a running Cognate through Amplify JS v6 against
// a pool with a pre sign-up and a V1_0 pre token generation trigger, and
// prints one JSON object describing what happened. It throws (exit status 1)
// at the first mismatch. test/integration/triggers_interop_test.go runs it;
// by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=tess COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... COGNATE_INVITE=XYZ COGNATE_CLAIM=tier \
//	node test/js/amplify-triggers.mjs
//
// The pre sign-up function auto-confirms the user; the pre token generation
// function adds the claim COGNATE_CLAIM to the ID token. The script signs up
// with validationData and clientMetadata for the first to see, signs in with
// no confirmation code, and reports the claim fetchAuthSession shows.

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, mark, memoryStorage, ops, trace } from './harness.mjs';

const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const claim = env('COGNATE_CLAIM');

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
Amplify.configure({
	Auth: { Cognito: { userPoolId: env('COGNATE_POOL_ID'), userPoolClientId: env('COGNATE_CLIENT_ID'), userPoolEndpoint: env('COGNATE_ENDPOINT') } },
});

const result = {};

// ---- sign-up: the trigger sees the data and confirms the user ----------------
const up = await signUp({
	username,
	password,
	options: {
		userAttributes: { email: `${username}@example.com` },
		validationData: { invite: env('COGNATE_INVITE') },
		clientMetadata: { source: 'amplify' },
	},
});
result.signUp = { isSignUpComplete: up.isSignUpComplete, signUpStep: up.nextStep?.signUpStep };
equal(up.isSignUpComplete, true, 'signUp isSignUpComplete');
equal(up.nextStep?.signUpStep, 'DONE', 'signUp next step');

// ---- sign-in with no code, and the trigger's claim in the ID token -----------
const m = mark();
const inResult = await signIn({ username, password });
equal(inResult.isSignedIn, true, 'signIn isSignedIn');
const { tokens } = await fetchAuthSession();
check(tokens?.idToken, 'an ID token after signIn', tokens);
result.claim = tokens.idToken.payload[claim] ?? null;
result.username = tokens.idToken.payload['cognito:username'];
result.signInOps = ops(m);
await signOut();

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
