// amplify-flow.mjs drives a running Cognate through Amplify JS v6's real auth
// APIs, then through amazon-cognito-identity-js, and prints one JSON object
// describing what happened. It throws (exit status 1) at the first mismatch.
// test/integration/interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_POOL_ID=us-east-1_... \
//	COGNATE_CLIENT_ID=... COGNATE_USERNAME=ada COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_BIN=./cognate COGNATE_DATA_DIR=./cognate-data node test/js/amplify-flow.mjs
//
// With COGNATE_EMAIL_POOL_ID and COGNATE_EMAIL_CLIENT_ID (a pool whose
// username is the email), it also signs a user up and in there.
//
// The client must allow USER_SRP_AUTH and REFRESH_TOKEN_AUTH; the pool must
// auto-verify email. Verification codes are read from Cognate's outbox with
// the real `cognate messages` subcommand (COGNATE_BIN), which finds the
// server's store through the same COGNATE_* variables as `cognate serve`;
// this script passes its environment on unchanged.
//
// Every request either library sends goes through the traced fetch of
// harness.mjs, which records the operation, the flow or challenge, the HTTP
// status and the error's __type; the trace shows which refresh API Amplify
// uses.

import { Amplify } from 'aws-amplify';
import {
	autoSignIn,
	confirmResetPassword,
	confirmSignUp,
	confirmUserAttribute,
	deleteUser,
	fetchAuthSession,
	fetchUserAttributes,
	resetPassword,
	signIn,
	signOut,
	signUp,
	updatePassword,
	updateUserAttributes,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import identity from 'amazon-cognito-identity-js';
import {
	check,
	env,
	equal,
	expectCalls,
	mark,
	memoryStorage,
	ops,
	outboxCode,
	realFetch,
	rejects,
	sentHeaders,
	since,
	trace,
} from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const userPoolId = env('COGNATE_POOL_ID');
const userPoolClientId = env('COGNATE_CLIENT_ID');
const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const cognateBin = env('COGNATE_BIN');
const email = `${username}@example.com`;

// ---- helpers -------------------------------------------------------------

// lastCode reads the newest code sent to a user from Cognate's outbox.
const lastCode = (pool = userPoolId, user = username) => outboxCode(cognateBin, pool, user);

// cognito sends one raw request to Cognate, as a browser would.
async function cognito(op, body) {
	const resp = await realFetch(endpoint, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-amz-json-1.1',
			'X-Amz-Target': `AWSCognitoIdentityProviderService.${op}`,
		},
		body: JSON.stringify(body),
	});
	return { status: resp.status, body: await resp.json() };
}

const { memory, storage: tokenStorage } = memoryStorage();
const storedRefreshToken = () =>
	[...memory].find(([k]) => k.startsWith(`CognitoIdentityServiceProvider.${userPoolClientId}.`) && k.endsWith('.refreshToken'))?.[1];

// ---- Amplify JS v6 -------------------------------------------------------

Amplify.configure({
	Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } },
});
cognitoUserPoolsTokenProvider.setKeyValueStorage(tokenStorage);

const result = { amplify: {}, identityJs: {} };

let m = mark();
const up = await signUp({ username, password, options: { userAttributes: { email }, autoSignIn: true } });
equal(up.isSignUpComplete, false, 'signUp isSignUpComplete');
equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP', 'signUp next step');
equal(up.nextStep.codeDeliveryDetails?.deliveryMedium, 'EMAIL', 'signUp delivery medium');
check(/^[0-9a-f-]{36}$/.test(up.userId ?? ''), 'signUp userId', up.userId);
expectCalls(m, ['SignUp'], 'signUp');

const confirmed = await confirmSignUp({ username, confirmationCode: lastCode() });
equal(confirmed.isSignUpComplete, true, 'confirmSignUp isSignUpComplete');
equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN', 'confirmSignUp next step');

// Amplify's sign-in after sign-up (what its Authenticator does).
m = mark();
const auto = await autoSignIn();
equal(auto.isSignedIn, true, 'autoSignIn isSignedIn');
expectCalls(m, ['InitiateAuth', 'RespondToAuthChallenge'], 'autoSignIn');
await signOut();

m = mark();
await rejects(() => signIn({ username, password: 'Wr0ng-password!' }), 'NotAuthorizedException', 'signIn with a wrong password');
expectCalls(m, ['InitiateAuth', 'RespondToAuthChallenge:400'], 'wrong-password signIn');

m = mark();
const signedIn = await signIn({ username, password });
equal(signedIn.isSignedIn, true, 'signIn isSignedIn');
equal(signedIn.nextStep.signInStep, 'DONE', 'signIn next step');
equal(
	JSON.stringify(since(m).map((e) => e.flow ?? e.challenge)),
	JSON.stringify(['USER_SRP_AUTH', 'PASSWORD_VERIFIER']),
	'signIn default flow',
);
result.amplify.signInCalls = ops(m);

const session = await fetchAuthSession();
const { accessToken, idToken } = session.tokens ?? {};
check(accessToken && idToken, 'fetchAuthSession tokens', session.tokens);
equal(idToken.payload.iss, `${endpoint}/${userPoolId}`, 'ID token iss');
equal(idToken.payload.aud, userPoolClientId, 'ID token aud');
equal(idToken.payload.token_use, 'id', 'ID token token_use');
equal(idToken.payload['cognito:username'], username, 'ID token cognito:username');
equal(idToken.payload.email, email, 'ID token email');
equal(idToken.payload.sub, up.userId, 'ID token sub');
equal(accessToken.payload.iss, `${endpoint}/${userPoolId}`, 'access token iss');
equal(accessToken.payload.client_id, userPoolClientId, 'access token client_id');
equal(accessToken.payload.token_use, 'access', 'access token token_use');
equal(session.userSub, up.userId, 'fetchAuthSession userSub');
result.amplify.idToken = idToken.payload;
result.amplify.idTokenJwt = idToken.toString();
result.amplify.accessToken = accessToken.payload;

m = mark();
const refreshed = await fetchAuthSession({ forceRefresh: true });
const newAccess = refreshed.tokens?.accessToken;
check(newAccess && newAccess.toString() !== accessToken.toString(), 'forceRefresh gives a new access token');
equal(newAccess.payload.origin_jti, accessToken.payload.origin_jti, 'refreshed access token origin_jti');
result.amplify.refreshCalls = ops(m);
equal(result.amplify.refreshCalls.length, 1, 'forceRefresh calls');
result.amplify.refreshApi = result.amplify.refreshCalls[0];
expectCalls(m, [result.amplify.refreshApi], 'forceRefresh');

const attrs = await fetchUserAttributes();
equal(attrs.email, email, 'fetchUserAttributes email');
equal(attrs.email_verified, 'true', 'fetchUserAttributes email_verified');
equal(attrs.sub, up.userId, 'fetchUserAttributes sub');

const updated = await updateUserAttributes({ userAttributes: { name: 'Ada Lovelace' } });
equal(updated.name?.isUpdated, true, 'updateUserAttributes name isUpdated');
equal(updated.name?.nextStep.updateAttributeStep, 'DONE', 'updateUserAttributes next step');
equal((await fetchUserAttributes()).name, 'Ada Lovelace', 'name read back');

// A verified attribute changes at once, unverified, until its code comes back.
const newEmail = `${username}.new@example.com`;
const changed = await updateUserAttributes({ userAttributes: { email: newEmail } });
equal(changed.email?.isUpdated, false, 'updateUserAttributes email isUpdated');
equal(changed.email?.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE', 'updateUserAttributes email next step');
equal(changed.email?.nextStep.codeDeliveryDetails?.deliveryMedium, 'EMAIL', 'updateUserAttributes email delivery');
let read = await fetchUserAttributes();
equal(read.email, newEmail, 'email after update');
equal(read.email_verified, 'false', 'email_verified after update');
await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: lastCode() });
read = await fetchUserAttributes();
equal(read.email_verified, 'true', 'email_verified after confirmUserAttribute');

// From here on the user signs in with a new password.
const newPassword = `${password}2`;
m = mark();
await updatePassword({ oldPassword: password, newPassword });
expectCalls(m, ['ChangePassword'], 'updatePassword');

const oldAccess = (await fetchAuthSession()).tokens.accessToken.toString();
const oldRefresh = storedRefreshToken();
check(oldRefresh, 'refresh token in Amplify storage');
m = mark();
await signOut({ global: true });
expectCalls(m, ['GlobalSignOut'], 'signOut global');
equal((await fetchAuthSession()).tokens, undefined, 'tokens after signOut');

let raw = await cognito('GetUser', { AccessToken: oldAccess });
equal(raw.status, 400, 'GetUser with a signed-out token: status');
equal(raw.body.__type, 'NotAuthorizedException', 'GetUser with a signed-out token: __type');
raw = await cognito('GetTokensFromRefreshToken', { ClientId: userPoolClientId, RefreshToken: oldRefresh });
equal(raw.body.__type, 'NotAuthorizedException', 'refresh after global sign-out: __type');

// A local sign-out revokes the refresh token with RevokeToken.
await signIn({ username, password: newPassword });
const revoked = storedRefreshToken();
m = mark();
await signOut();
expectCalls(m, ['RevokeToken'], 'signOut local');
raw = await cognito('GetTokensFromRefreshToken', { ClientId: userPoolClientId, RefreshToken: revoked });
equal(raw.body.__type, 'NotAuthorizedException', 'refresh after RevokeToken: __type');

// ---- amazon-cognito-identity-js ------------------------------------------

const pool = new identity.CognitoUserPool({ UserPoolId: userPoolId, ClientId: userPoolClientId, endpoint });
const authenticate = (pw) =>
	new Promise((resolve, reject) => {
		const user = new identity.CognitoUser({ Username: username, Pool: pool });
		user.authenticateUser(new identity.AuthenticationDetails({ Username: username, Password: pw }), {
			onSuccess: resolve,
			onFailure: reject,
			newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
			mfaRequired: () => reject(new Error('unexpected mfaRequired')),
		});
	});
m = mark();
const idSession = await authenticate(newPassword);
check(idSession.isValid(), 'identity-js session valid');
equal(idSession.getIdToken().decodePayload().iss, `${endpoint}/${userPoolId}`, 'identity-js ID token iss');
equal(idSession.getIdToken().decodePayload().name, 'Ada Lovelace', 'identity-js ID token name');
equal(
	JSON.stringify(since(m).map((e) => e.flow ?? e.challenge)),
	JSON.stringify(['USER_SRP_AUTH', 'PASSWORD_VERIFIER']),
	'identity-js flow',
);
result.identityJs.signInCalls = ops(m);
const wrong = await authenticate('Wr0ng-password!').then(
	() => null,
	(err) => err,
);
equal(wrong?.code ?? wrong?.name, 'NotAuthorizedException', 'identity-js wrong password');

// ---- a forgotten password, reset through Amplify --------------------------

m = mark();
const reset = await resetPassword({ username });
equal(reset.isPasswordReset, false, 'resetPassword isPasswordReset');
equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE', 'resetPassword next step');
equal(reset.nextStep.codeDeliveryDetails?.deliveryMedium, 'EMAIL', 'resetPassword delivery medium');
equal(reset.nextStep.codeDeliveryDetails?.attributeName, 'email', 'resetPassword delivery attribute');
expectCalls(m, ['ForgotPassword'], 'resetPassword');
const resetCode = lastCode();
await rejects(
	() => confirmResetPassword({ username, confirmationCode: resetCode, newPassword: 'short' }),
	'InvalidPasswordException',
	'confirmResetPassword with a password the policy refuses',
);
const finalPassword = `${password}3`;
m = mark();
await confirmResetPassword({ username, confirmationCode: resetCode, newPassword: finalPassword });
expectCalls(m, ['ConfirmForgotPassword'], 'confirmResetPassword');
await rejects(() => signIn({ username, password: newPassword }), 'NotAuthorizedException', 'signIn with the password before the reset');
equal((await signIn({ username, password: finalPassword })).isSignedIn, true, 'signIn after confirmResetPassword');
await signOut();

// ---- delete the user through Amplify -------------------------------------

await signIn({ username, password: finalPassword });
m = mark();
await deleteUser();
check(ops(m).includes('DeleteUser'), 'deleteUser calls DeleteUser', since(m));
equal(since(m).find((e) => e.op === 'DeleteUser').status, 200, 'DeleteUser status');
m = mark();
await rejects(() => signIn({ username, password: finalPassword }), 'UserNotFoundException', 'signIn after deleteUser');
expectCalls(m, ['InitiateAuth:400'], 'signIn after deleteUser');

// ---- a pool where the email is the username (Amplify Gen 2's default) ---

const emailPoolId = process.env.COGNATE_EMAIL_POOL_ID;
const emailClientId = process.env.COGNATE_EMAIL_CLIENT_ID;
if (emailPoolId && emailClientId) {
	Amplify.configure({
		Auth: {
			Cognito: {
				userPoolId: emailPoolId,
				userPoolClientId: emailClientId,
				userPoolEndpoint: endpoint,
				loginWith: { email: true },
			},
		},
	});
	const grace = `grace.${username}@example.com`;
	const graceUp = await signUp({ username: grace, password, options: { userAttributes: { email: grace } } });
	equal(graceUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP', 'email-username signUp next step');
	// The user's username is its sub; the outbox knows it by that name.
	await confirmSignUp({ username: grace, confirmationCode: lastCode(emailPoolId, graceUp.userId) });
	m = mark();
	equal((await signIn({ username: grace, password })).isSignedIn, true, 'email-username signIn');
	equal(
		JSON.stringify(since(m).map((e) => e.flow ?? e.challenge)),
		JSON.stringify(['USER_SRP_AUTH', 'PASSWORD_VERIFIER']),
		'email-username signIn flow',
	);
	const graceSession = await fetchAuthSession();
	equal(graceSession.tokens.idToken.payload['cognito:username'], graceUp.userId, 'email-username cognito:username');
	equal(graceSession.tokens.idToken.payload.email, grace, 'email-username ID token email');
	equal(graceSession.tokens.idToken.payload.iss, `${endpoint}/${emailPoolId}`, 'email-username ID token iss');
	equal((await fetchUserAttributes()).email_verified, 'true', 'email-username email_verified');
	await signOut();
	result.emailUsername = { username: graceSession.tokens.accessToken.payload.username, sub: graceUp.userId };
}

// ---- a browser would first ask: CORS preflight --------------------------

const preflight = await realFetch(endpoint, {
	method: 'OPTIONS',
	headers: {
		Origin: 'http://localhost:3000',
		'Access-Control-Request-Method': 'POST',
		'Access-Control-Request-Headers': [...sentHeaders].join(','),
	},
});
check(preflight.ok, 'CORS preflight status', preflight.status);
const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
const notAllowed = [...sentHeaders].filter((h) => !allowed.includes(h));
equal(notAllowed.length, 0, `CORS preflight: headers the libraries send but the server does not allow (${notAllowed})`);
check(
	(preflight.headers.get('access-control-allow-methods') ?? '').includes('POST'),
	'CORS preflight allows POST',
	preflight.headers.get('access-control-allow-methods'),
);
equal(preflight.headers.get('access-control-allow-origin'), '*', 'CORS preflight allow-origin');
result.sentHeaders = [...sentHeaders].sort();

result.trace = trace;
// Amplify's autoSignIn leaves a three-minute timer behind: exit now.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
