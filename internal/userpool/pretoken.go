package userpool

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// The pre token generation trigger is configured by two members, as in
// Cognito: PreTokenGeneration, the older, is a V1_0 function's ARN;
// PreTokenGenerationConfig names the function and the version of the
// events it gets. When both are set, they name the same function.

// preTokenGeneration is the pool's pre token generation function and the
// version of its events; arn is "" for none.
func preTokenGeneration(lc store.LambdaConfig) (v events.PreTokenGenerationVersion, arn string) {
	if c := lc.PreTokenGenerationConfig; c.LambdaArn != "" {
		return events.PreTokenGenerationVersion(c.LambdaVersion), c.LambdaArn
	}
	if lc.PreTokenGeneration != "" {
		return events.PreTokenGenerationV1, lc.PreTokenGeneration
	}
	return "", ""
}

// describePreTokenGeneration fills in the member of the two the caller
// left out, so that the pool describes both, as Cognito's does: a function
// named by PreTokenGeneration alone is a V1_0 one.
func describePreTokenGeneration(lc *store.LambdaConfig) {
	v, arn := preTokenGeneration(*lc)
	if arn == "" {
		return
	}
	lc.PreTokenGeneration = arn
	lc.PreTokenGenerationConfig = store.LambdaVersionConfig{LambdaVersion: string(v), LambdaArn: arn}
}

// checkPreTokenGeneration refuses the two members naming different
// functions, and a version Cognate does not know.
func checkPreTokenGeneration(lc store.LambdaConfig) error {
	c := lc.PreTokenGenerationConfig
	if c == (store.LambdaVersionConfig{}) {
		return nil
	}
	switch events.PreTokenGenerationVersion(c.LambdaVersion) {
	case events.PreTokenGenerationV1, events.PreTokenGenerationV2, events.PreTokenGenerationV3:
	default:
		return apierr.Newf(apierr.InvalidParameter, "LambdaConfig.PreTokenGenerationConfig.LambdaVersion %q is not one of V1_0, V2_0, V3_0.", c.LambdaVersion)
	}
	if c.LambdaArn == "" {
		return apierr.New(apierr.InvalidParameter, "LambdaConfig.PreTokenGenerationConfig.LambdaArn is required.")
	}
	if lc.PreTokenGeneration != "" && lc.PreTokenGeneration != c.LambdaArn {
		return apierr.New(apierr.InvalidParameter,
			"LambdaConfig.PreTokenGeneration and LambdaConfig.PreTokenGenerationConfig.LambdaArn must be the same function.")
	}
	return nil
}

// tokenEvent says why tokens are minted, for the pre token generation
// trigger: its triggerSource, and the caller's ClientMetadata.
type tokenEvent struct {
	Source         events.PreTokenGenerationSource
	ClientMetadata map[string]string
}

// protectedClaims are the claims a pre token generation trigger can neither
// override nor suppress, in either token. As Cognito does, a function that
// tries is not refused: the claim is left as it was. The group claims are
// changed through groupOverrideDetails only.
var protectedClaims = map[string]bool{
	"acr": true, "amr": true, "at_hash": true, "aud": true, "auth_time": true, "azp": true,
	"cognito:username": true, "exp": true, "iat": true, "identities": true, "iss": true, "jti": true,
	"nbf": true, "nonce": true, "origin_jti": true, "sub": true, "token_use": true, "event_id": true,
	"cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true,
}

// protectedAccessClaims are, in the access token, protected too: scopes
// change through scopesToAdd and scopesToSuppress.
var protectedAccessClaims = map[string]bool{
	"client_id": true, "scope": true, "username": true, "device_key": true, "version": true,
}

// preTokenGeneration runs the pool's pre token generation trigger, if any,
// and applies its answer to m.
func (s *Service) preTokenGeneration(ctx context.Context, p store.Pool, c store.Client, u store.User, gc groupClaims, ev tokenEvent, m *mintedClaims) error {
	v, arn := preTokenGeneration(p.Settings.LambdaConfig)
	if arn == "" {
		return nil
	}
	run, err := s.runner("PreTokenGeneration")
	if err != nil {
		return err
	}
	who := caller(p, c.ID, u.Username)
	groups := events.Groups{Names: gc.Groups, Roles: gc.Roles, PreferredRole: gc.PreferredRole}
	access, err := claimMap(m.access)
	if err != nil {
		return err
	}
	m.access = access
	if v == events.PreTokenGenerationV1 {
		d, err := run.PreTokenGenerationV1(ctx, arn, ev.Source, who, eventAttributes(u), groups, ev.ClientMetadata)
		if err != nil || d == nil {
			return err
		}
		for name, value := range d.ClaimsToAddOrOverride {
			setClaim(m.id, name, value, false)
		}
		suppress(m.id, d.ClaimsToSuppress, false)
		overrideGroups(d.GroupOverrideDetails, m.id, access)
		return nil
	}
	scopes := strings.Fields(fmt.Sprint(access["scope"]))
	d, err := run.PreTokenGenerationV2(ctx, arn, v, ev.Source, who, eventAttributes(u), groups, scopes, ev.ClientMetadata)
	if err != nil || d == nil {
		return err
	}
	if t := d.IDTokenGeneration; t != nil {
		for name, value := range t.ClaimsToAddOrOverride {
			setClaim(m.id, name, value, false)
		}
		suppress(m.id, t.ClaimsToSuppress, false)
	}
	if t := d.AccessTokenGeneration; t != nil {
		changeAccessToken(access, scopes, t)
	}
	overrideGroups(d.GroupOverrideDetails, m.id, access)
	return nil
}

// changeAccessToken applies a V2_0 / V3_0 function's accessTokenGeneration
// to an access token's claims, whose scopes were scopes.
func changeAccessToken(access map[string]any, scopes []string, t *events.AccessTokenGeneration) {
	for name, value := range t.ClaimsToAddOrOverride {
		setClaim(access, name, value, true)
	}
	suppress(access, t.ClaimsToSuppress, true)
	access["scope"] = changeScopes(scopes, t.ScopesToAdd, t.ScopesToSuppress)
}

// claimMap turns a token's claims into a map a trigger's answer can change.
func claimMap(claims any) (map[string]any, error) {
	if m, ok := claims.(map[string]any); ok {
		return m, nil
	}
	b, err := json.Marshal(claims)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, apierr.Internal(err)
	}
	return m, nil
}

func isProtected(name string, access bool) bool {
	return protectedClaims[name] || (access && protectedAccessClaims[name])
}

func setClaim(claims map[string]any, name string, value any, access bool) {
	if name == "" || isProtected(name, access) {
		return
	}
	claims[name] = value
}

// suppress removes claims; a claim both added and suppressed is suppressed.
func suppress(claims map[string]any, names []string, access bool) {
	for _, name := range names {
		if !isProtected(name, access) {
			delete(claims, name)
		}
	}
}

// changeScopes adds scopes the token lacks and removes the suppressed ones;
// suppression wins.
func changeScopes(scopes, add, remove []string) string {
	out := slices.Clone(scopes)
	for _, sc := range add {
		if sc != "" && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	out = slices.DeleteFunc(out, func(sc string) bool { return slices.Contains(remove, sc) })
	return strings.Join(out, " ")
}

// overrideGroups applies groupOverrideDetails. As Cognito documents, the
// object sent replaces the group configuration whole: a member left out or
// empty removes its claim, so a function keeping the groups sends back the
// request's groupConfiguration. cognito:groups is in both tokens, the roles
// in the ID token only.
func overrideGroups(g *events.GroupConfiguration, id, access map[string]any) {
	if g == nil {
		return
	}
	setList := func(claims map[string]any, name string, l []string) {
		if len(l) == 0 {
			delete(claims, name)
			return
		}
		claims[name] = l
	}
	setList(id, "cognito:groups", g.GroupsToOverride)
	setList(access, "cognito:groups", g.GroupsToOverride)
	setList(id, "cognito:roles", g.IAMRolesToOverride)
	if g.PreferredRole == nil || *g.PreferredRole == "" {
		delete(id, "cognito:preferred_role")
	} else {
		id["cognito:preferred_role"] = *g.PreferredRole
	}
}
