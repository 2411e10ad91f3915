// amplify-migration.mjs signs a legacy user in through Amplify JS v6 with
// authFlowType USER_PASSWORD_AUTH, the flow Cognito's user migration
// trigger needs (SRP sends no password), against a running Cognate whose
// pool has that trigger; it prints one JSON object describing what
// happened and throws (exit status 1) at the first mismatch.
// test/integration/migration_interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_USERNAME=lena COGNATE_LEGACY_PASSWORD=... \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... node test/js/amplify-migration.mjs
//
// The user is not in the pool yet: the first sign-in migrates it, the second
// finds it; a wrong password is refused by the function.

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, mark, memoryStorage, rejects, since, trace } from './harness.mjs';

const username = env('COGNATE_USERNAME');
const password = env('COGNATE_LEGACY_PASSWORD');
const flows = (m) => since(m).map((e) => e.flow ?? e.challenge ?? e.op);

const { storage } = memoryStorage();
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
Amplify.configure({
	Auth: { Cognito: { userPoolId: env('COGNATE_POOL_ID'), userPoolClientId: env('COGNATE_CLIENT_ID'), userPoolEndpoint: env('COGNATE_ENDPOINT') } },
});

const result = {};
const options = { authFlowType: 'USER_PASSWORD_AUTH' };

async function signedIn(what) {
	const { tokens } = await fetchAuthSession();
	check(tokens?.accessToken && tokens?.idToken, `tokens after ${what}`, tokens);
	equal(tokens.idToken.payload['cognito:username'], username, `${what}: ID token cognito:username`);
	const email = tokens.idToken.payload.email;
	await signOut();
	return email;
}

// ---- a wrong password: the function refuses, nothing is created -------------
const refused = await rejects(() => signIn({ username, password: `${password}-wrong`, options }), 'UserLambdaValidationException',
	'signIn with a wrong legacy password');
result.refused = refused.message;

// ---- the legacy password: migrated and signed in at once ---------------------
let m = mark();
const first = await signIn({ username, password, options });
equal(first.isSignedIn, true, 'first signIn isSignedIn');
result.first = flows(m);
result.email = await signedIn('the migrating sign-in');

// ---- again: the user is the pool's now --------------------------------------
m = mark();
const second = await signIn({ username, password, options });
equal(second.isSignedIn, true, 'second signIn isSignedIn');
result.second = flows(m);
await signedIn('the second sign-in');

result.trace = trace;
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
