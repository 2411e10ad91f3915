// A real OpenID Connect provider for Cognate's identity-pool tests:
// oidc-provider (npm), served over HTTPS on a free loopback port with the
// certificate the Go harness made (test/integration/oidc_issuer_test.go).
//
// It signs in through oidc-provider's own development interactions (its
// login and consent pages), so the Go side drives the provider's real
// authorization code flow. Once listening it prints one JSON line on
// stdout, {"issuer":"https://127.0.0.1:<port>"}, and then serves until it
// is killed.
//
// Environment:
//   OIDC_CERT_FILE, OIDC_KEY_FILE  PEM server certificate and key
//   OIDC_CLIENTS                   JSON array of registered clients:
//                                  [{"client_id", "client_secret",
//                                    "redirect_uri", "id_token_ttl"?}]
//                                  id_token_ttl (seconds) defaults to 3600
//   OIDC_PASSWORD                  the one password every account signs in with

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { once } from 'node:events';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`oidc-issuer: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const registered = JSON.parse(required('OIDC_CLIENTS'));
const password = required('OIDC_PASSWORD');

// Accounts: any subject of plain characters is a user of this issuer,
// with an e-mail address made from it, so that each test can sign in
// users of its own. Anything else is no account, and sign-in fails.
const subjectPattern = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

async function findAccount(ctx, id) {
  if (!subjectPattern.test(id)) return undefined;
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        email: `${id}@users.oidc.test`,
        email_verified: true,
        name: `Test user ${id}`,
      };
    },
  };
}

const server = createServer({
  cert: readFileSync(required('OIDC_CERT_FILE')),
  key: readFileSync(required('OIDC_KEY_FILE')),
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `https://127.0.0.1:${server.address().port}`;

// A signing key of this run's own, rather than the library's development keys.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const idTokenTTL = new Map(registered.map((c) => [c.client_id, c.id_token_ttl ?? 3600]));

const provider = new Provider(issuer, {
  clients: registered.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: [c.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scopes' claims in the ID token, as Cognito's and most public
  // identity providers' ID tokens carry them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  ttl: {
    IdToken: (ctx, token, client) => idTokenTTL.get(client.clientId) ?? 3600,
    AccessToken: 3600,
    AuthorizationCode: 60,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
  },
});

// The development login page asks for a login and a password but checks
// neither, and takes any login as an account id; check both here, before
// oidc-provider takes the login.
const submitPath = /^\/interaction\/[^/]+$/;
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && submitPath.test(ctx.path)) {
    const raw = await readBody(ctx.req);
    const form = new URLSearchParams(raw);
    if (form.get('prompt') === 'login'
      && (form.get('password') !== password || !(await findAccount(ctx, form.get('login') ?? '')))) {
      ctx.status = 401;
      ctx.type = 'text';
      ctx.body = 'wrong login or password';
      return;
    }
    // The stream is read; oidc-provider's body parser falls back to req.body.
    ctx.req.body = raw;
  }
  await next();
});

provider.on('server_error', (ctx, err) => console.error('oidc-issuer: server_error', err));

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
