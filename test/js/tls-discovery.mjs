// tls-discovery.mjs reaches a Cognate served over HTTPS (cognate serve
// --tls-auto) from Node.js, trusting its development CA the way a developer
// would: NODE_EXTRA_CA_CERTS names the file `cognate tls ca` printed. It
// fetches the pool's discovery document and signs in with Amplify JS v6
// (SRP), and prints one JSON object: the discovery document's issuer and
// jwks_uri, the ID token's iss, and the sign-in's next step.
// test/integration/tls_test.go runs it; by hand:
//
//	cognate tls ca > ca.pem
//	NODE_EXTRA_CA_CERTS=ca.pem COGNATE_ENDPOINT=https://127.0.0.1:9229 \
//	COGNATE_POOL_ID=us-east-1_... COGNATE_CLIENT_ID=... COGNATE_USERNAME=ada \
//	COGNATE_PASSWORD='Corr3ct-Horse!' node test/js/tls-discovery.mjs
//
// With COGNATE_EXPECT_UNTRUSTED=1 (and no NODE_EXTRA_CA_CERTS) the fetch
// must fail, and it prints {"error": <the TLS error code>} instead.

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { check, env, memoryStorage } from './harness.mjs';

const endpoint = env('COGNATE_ENDPOINT');
const userPoolId = env('COGNATE_POOL_ID');
const discoveryURL = `${endpoint}/${userPoolId}/.well-known/openid-configuration`;

if (process.env.COGNATE_EXPECT_UNTRUSTED) {
	try {
		await fetch(discoveryURL);
	} catch (err) {
		process.stdout.write(JSON.stringify({ error: err.cause?.code ?? err.message }));
		process.exit(0);
	}
	throw new Error(`fetch ${discoveryURL} succeeded without trusting the CA`);
}

const resp = await fetch(discoveryURL);
check(resp.ok, 'discovery document status', resp.status);
const discovery = await resp.json();

Amplify.configure({
	Auth: { Cognito: { userPoolId, userPoolClientId: env('COGNATE_CLIENT_ID'), userPoolEndpoint: endpoint } },
});
cognitoUserPoolsTokenProvider.setKeyValueStorage(memoryStorage().storage);
const res = await signIn({ username: env('COGNATE_USERNAME'), password: env('COGNATE_PASSWORD') });
const session = await fetchAuthSession();

process.stdout.write(JSON.stringify({
	issuer: discovery.issuer,
	jwksURI: discovery.jwks_uri,
	signInStep: res.nextStep.signInStep,
	idTokenIssuer: session.tokens?.idToken?.payload?.iss,
}));
