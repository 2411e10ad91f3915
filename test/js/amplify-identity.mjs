// amplify-identity.mjs drives a running Cognate's identity pool through
// Amplify JS v6: guest credentials, credentials after a user-pool sign-in,
// the identity id staying the same across sign-ins, and the seed documents'
// custom CredentialsAndIdentityIdProvider federating an external token with
// @aws-sdk/client-cognito-identity. Every set of credentials is then used
// for real: STS GetCallerIdentity, signed with them by @aws-sdk/client-sts,
// must name the role the identity pool chose. It prints one JSON object and
// throws (exit status 1) at the first mismatch.
// test/integration/identity_interop_test.go runs it; by hand:
//
//	COGNATE_ENDPOINT=http://127.0.0.1:9229 COGNATE_POOL_ID=us-east-1_... \
//	COGNATE_CLIENT_ID=... COGNATE_IDENTITY_POOL_ID=us-east-1:... \
//	COGNATE_USERNAME=ada COGNATE_PASSWORD='Corr3ct-Horse!' \
//	COGNATE_FEDERATED_DOMAIN=127.0.0.1:4000 COGNATE_FEDERATED_TOKEN=eyJ... \
//	node test/js/amplify-identity.mjs

import { CognitoIdentity } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, equal, memoryStorage, trace } from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const userPoolId = env('COGNATE_POOL_ID');
const userPoolClientId = env('COGNATE_CLIENT_ID');
const identityPoolId = env('COGNATE_IDENTITY_POOL_ID');
const username = env('COGNATE_USERNAME');
const password = env('COGNATE_PASSWORD');
const federatedDomain = env('COGNATE_FEDERATED_DOMAIN');
const federatedToken = env('COGNATE_FEDERATED_TOKEN');
const region = identityPoolId.split(':')[0];

const config = {
	Auth: {
		Cognito: {
			userPoolId,
			userPoolClientId,
			identityPoolId,
			allowGuestAccess: true,
			// One endpoint for both APIs, as Cognate serves them.
			userPoolEndpoint: endpoint,
			identityPoolEndpoint: endpoint,
		},
	},
};

// callerOf signs STS GetCallerIdentity with credentials and returns the ARN
// Cognate says they belong to.
async function callerOf(credentials) {
	const sts = new STSClient({ region, endpoint, credentials });
	const out = await sts.send(new GetCallerIdentityCommand({}));
	return out.Arn;
}

// session fetches Amplify's session and checks it carries credentials.
async function session(what, options) {
	const s = await fetchAuthSession(options);
	check(s.identityId?.startsWith(`${region}:`), `${what}: identity id`, s.identityId);
	check(s.credentials?.accessKeyId?.startsWith('ASIA'), `${what}: access key id`, s.credentials?.accessKeyId);
	check(s.credentials.sessionToken, `${what}: session token`);
	check(s.credentials.expiration instanceof Date, `${what}: expiration`, s.credentials.expiration);
	return {
		identityId: s.identityId,
		accessKeyId: s.credentials.accessKeyId,
		arn: await callerOf(s.credentials),
		signedIn: s.tokens?.idToken !== undefined,
	};
}

const result = {};

// ---- Amplify's own credentials provider -----------------------------------

cognitoUserPoolsTokenProvider.setKeyValueStorage(memoryStorage());
Amplify.configure(config);

result.guest = await session('guest');
equal(result.guest.signedIn, false, 'guest session has tokens');
// A second fetch reuses the cached guest credentials.
equal((await fetchAuthSession()).credentials.accessKeyId, result.guest.accessKeyId, 'cached guest credentials');

const first = await signIn({ username, password });
equal(first.nextStep.signInStep, 'DONE', 'first sign-in');
result.signedIn = await session('signed in');
equal(result.signedIn.signedIn, true, 'signed-in session has tokens');
result.forced = await session('forced refresh', { forceRefresh: true });
equal(result.forced.identityId, result.signedIn.identityId, 'identity id after a forced refresh');
await signOut();

const second = await signIn({ username, password });
equal(second.nextStep.signInStep, 'DONE', 'second sign-in');
result.again = await session('signed in again');
equal(result.again.identityId, result.signedIn.identityId, 'identity id across sign-ins');
await signOut();

// ---- the seed documents' custom provider ----------------------------------

const cognitoidentity = new CognitoIdentity({ region, endpoint });

class CustomCredentialsProvider {
	loadFederatedLogin(login) {
		this.federatedLogin = login;
	}

	async getCredentialsAndIdentityId() {
		const Logins = { [this.federatedLogin.domain]: this.federatedLogin.token };
		const id = await cognitoidentity.getId({ IdentityPoolId: identityPoolId, Logins });
		const creds = await cognitoidentity.getCredentialsForIdentity({ IdentityId: id.IdentityId, Logins });
		return {
			credentials: {
				accessKeyId: creds.Credentials.AccessKeyId,
				secretAccessKey: creds.Credentials.SecretKey,
				sessionToken: creds.Credentials.SessionToken,
				expiration: creds.Credentials.Expiration,
			},
			identityId: id.IdentityId,
		};
	}

	clearCredentialsAndIdentityId() {}
}

const custom = new CustomCredentialsProvider();
Amplify.configure(config, { Auth: { credentialsProvider: custom } });
custom.loadFederatedLogin({ domain: federatedDomain, token: federatedToken });
result.federated = await session('federated');
result.federatedAgain = await session('federated again');
equal(result.federatedAgain.identityId, result.federated.identityId, 'federated identity id');

// A forged token creates nothing.
custom.loadFederatedLogin({ domain: federatedDomain, token: `${federatedToken.slice(0, -4)}AAAA` });
try {
	const s = await fetchAuthSession({ forceRefresh: true });
	result.forged = s.credentials ? 'accepted' : 'no credentials';
} catch (err) {
	result.forged = err.name;
}

result.trace = trace;
console.log(JSON.stringify(result));
