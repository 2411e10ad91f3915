package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// The identity operation is what an application signed in to a user pool
// does to get AWS credentials: GetId, then GetCredentialsForIdentity, both
// unsigned, with the user's ID token as the login. Its set-up, signed with
// the administrator key, makes an identity pool that trusts the bench's
// user pool and app client, and an IAM role for its authenticated
// identities whose trust policy admits that pool's identities only.

// federatedPrincipal is the principal identity pools assume roles as.
const federatedPrincipal = "cognito-identity.amazonaws.com"

// userPoolProvider is the Logins key and identity pool provider name of a
// user pool: cognito-idp.<region>.amazonaws.com/<pool id>, the region
// being the pool id's prefix.
func userPoolProvider(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return "cognito-idp." + region + ".amazonaws.com/" + poolID
}

// trustPolicy is the role's trust policy: identities of identityPoolID
// that signed in, and no others, may assume it.
func trustPolicy(identityPoolID string) (string, error) {
	type condition map[string]map[string]string
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]string{"Federated": federatedPrincipal},
			"Action":    "sts:AssumeRoleWithWebIdentity",
			"Condition": condition{
				"StringEquals":           {federatedPrincipal + ":aud": identityPoolID},
				"ForAnyValue:StringLike": {federatedPrincipal + ":amr": "authenticated"},
			},
		}},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// createIdentityPool makes an identity pool, without guests, that accepts
// the ID tokens of the user pool's app client.
func (a *adminClient) createIdentityPool(ctx context.Context, name, userPoolID, clientID string) (string, error) {
	type provider struct{ ProviderName, ClientId string }
	in := struct {
		IdentityPoolName               string
		AllowUnauthenticatedIdentities bool
		CognitoIdentityProviders       []provider
	}{name, false, []provider{{userPoolProvider(userPoolID), clientID}}}
	var out struct{ IdentityPoolId string }
	err := a.signedIdentity(ctx, "CreateIdentityPool", in, &out)
	if err == nil && out.IdentityPoolId == "" {
		err = errors.New("CreateIdentityPool: no IdentityPoolId")
	}
	return out.IdentityPoolId, err
}

func (a *adminClient) setAuthenticatedRole(ctx context.Context, identityPoolID, roleARN string) error {
	in := struct {
		IdentityPoolId string
		Roles          map[string]string
	}{identityPoolID, map[string]string{"authenticated": roleARN}}
	return a.signedIdentity(ctx, "SetIdentityPoolRoles", in, nil)
}

// createRole makes an IAM role with the trust policy and returns its ARN.
func (a *adminClient) createRole(ctx context.Context, name, trust string) (string, error) {
	var out struct {
		Role struct{ Arn string } `xml:"CreateRoleResult>Role"`
	}
	err := a.iam(ctx, "CreateRole", url.Values{"RoleName": {name}, "AssumeRolePolicyDocument": {trust}}, &out)
	if err == nil && !strings.HasPrefix(out.Role.Arn, "arn:") {
		err = fmt.Errorf("CreateRole: role ARN %q", out.Role.Arn)
	}
	return out.Role.Arn, err
}

// prepareIdentity makes the identity pool and its role, then runs one
// identity pair for every session, so that a server that cannot vend
// credentials fails the run here instead of having its errors measured,
// and the measured pairs find the identities already there, as a returning
// user's do.
func prepareIdentity(ctx context.Context, o Options, admin *adminClient, ids identityClient, f *fixture, st *Setup, progress io.Writer) error {
	poolID, err := admin.createIdentityPool(ctx, "cognate_bench_"+f.runID, f.poolID, f.clientID)
	if err != nil {
		return fmt.Errorf("creating the identity pool: %w", err)
	}
	f.identityPoolID, st.IdentityPoolID = poolID, poolID
	trust, err := trustPolicy(poolID)
	if err != nil {
		return err
	}
	role, err := admin.createRole(ctx, "cognate-bench-identity-"+f.runID, trust)
	if err != nil {
		return fmt.Errorf("creating the identity pool's role: %w", err)
	}
	st.RoleARN = role
	if err := admin.setAuthenticatedRole(ctx, poolID, role); err != nil {
		return fmt.Errorf("setting the identity pool's role: %w", err)
	}
	fmt.Fprintf(progress, "bench: identity pool %s, role %s\n", poolID, role)
	provider := userPoolProvider(f.poolID)
	err = forEach(ctx, o.Concurrency, len(f.sessions), progress, "identities prepared", func(ctx context.Context, i int) error {
		s := &f.sessions[i]
		s.logins = map[string]string{provider: s.id}
		id, err := ids.GetID(ctx, poolID, s.logins)
		if err != nil {
			return fmt.Errorf("GetId for %s: %w", userName(i), err)
		}
		if id == "" {
			return fmt.Errorf("GetId for %s: no IdentityId", userName(i))
		}
		s.identityID = id
		if err := f.identityPair(ctx, ids, *s); err != nil {
			return fmt.Errorf("identity of %s: %w", userName(i), err)
		}
		return nil
	})
	if err == nil {
		st.Identities = len(f.sessions)
	}
	return err
}

// identityPair is one iteration of the identity operation: GetId, which
// must name the session's identity, then GetCredentialsForIdentity, which
// must vend temporary credentials for it.
func (f *fixture) identityPair(ctx context.Context, ids identityClient, s session) error {
	id, err := ids.GetID(ctx, f.identityPoolID, s.logins)
	if err != nil {
		return err
	}
	if id != s.identityID {
		return fmt.Errorf("bench: GetId answered identity %q, want %q", id, s.identityID)
	}
	c, err := ids.GetCredentialsForIdentity(ctx, id, s.logins)
	if err != nil {
		return err
	}
	return c.check(id)
}

// check reports whether c are temporary credentials of identity id.
func (c identityCredentials) check(id string) error {
	switch {
	case c.IdentityID != id:
		return fmt.Errorf("bench: GetCredentialsForIdentity answered identity %q, want %q", c.IdentityID, id)
	case !strings.HasPrefix(c.AccessKeyID, "ASIA") || len(c.AccessKeyID) != 20:
		return fmt.Errorf("bench: GetCredentialsForIdentity answered access key id %q, not a temporary one (ASIA…)", c.AccessKeyID)
	case c.SecretKey == "" || c.SessionToken == "":
		return errors.New("bench: GetCredentialsForIdentity answered no secret key or session token")
	}
	return nil
}
