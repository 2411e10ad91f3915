package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

var iamTests = []test{
	{"IAM/Roles", testIAMRoles},
	{"IAM/UpdateRole", testIAMUpdateRole},
	{"IAM/ListRoles", testIAMListRoles},
	{"IAM/Policies", testIAMPolicies},
	{"IAM/PoliciesGoWithTheirRole", testIAMPoliciesGoWithTheirRole},
	{"IAM/OIDCProviders", testIAMOIDCProviders},
	{"IAM/UpdateOIDCProvider", testIAMUpdateOIDCProvider},
	{"IAM/SAMLProviders", testIAMSAMLProviders},
}

var iamConcurrencyTests = []test{
	{"IAM/CreateRoleRace", testIAMCreateRoleRace},
	{"IAM/PutPolicyWhileDeletingRole", testIAMPutPolicyWhileDeletingRole},
	{"IAM/UpdateOIDCProviderRace", testIAMUpdateOIDCProviderRace},
}

// newRole returns a role with every field filled in; n makes its id and
// time.
func newRole(name, path string, n int) store.Role {
	return store.Role{
		ID:                 "AROA" + strings.Repeat(string(rune('A'+n%26)), 17),
		Name:               name,
		Path:               path,
		AssumeRolePolicy:   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`,
		Description:        "role " + name,
		MaxSessionDuration: time.Hour,
		Tags:               map[string]string{"team": "auth"},
		CreatedAt:          at(n),
	}
}

func roleOwner(name string) store.PolicyOwner {
	return store.PolicyOwner{Kind: store.PolicyOwnerRole, Name: name}
}

func userOwner(name string) store.PolicyOwner {
	return store.PolicyOwner{Kind: store.PolicyOwnerUser, Name: name}
}

func testIAMRoles(t *testing.T, s store.Store) {
	ctx := t.Context()
	admin := newRole("Admin", "/", 1)
	must(t, "CreateRole", s.CreateRole(ctx, admin))
	bare := store.Role{ID: "AROA0000000000000BARE", Name: "bare", Path: "/", AssumeRolePolicy: "{}", Tags: map[string]string{}}
	must(t, "CreateRole with empty fields", s.CreateRole(ctx, bare))

	for _, tc := range []struct {
		what string
		role store.Role
	}{
		{"the same name", newRole("Admin", "/", 2)},
		{"a name differing in case", newRole("ADMIN", "/other/", 3)},
		{"the same id", newRole("Other", "/", 1)},
	} {
		wantErr(t, "CreateRole with "+tc.what, s.CreateRole(ctx, tc.role), store.ErrAlreadyExists)
	}

	for _, name := range []string{"Admin", "admin", "ADMIN"} {
		got, err := s.GetRole(ctx, name)
		must(t, "GetRole "+name, err)
		equal(t, "GetRole "+name, got, admin)
	}
	got, err := s.GetRole(ctx, "bare")
	must(t, "GetRole bare", err)
	equal(t, "GetRole bare", got, bare)
	_, err = s.GetRole(ctx, "nobody")
	wantErr(t, "GetRole unknown", err, store.ErrNotFound)

	must(t, "DeleteRole", s.DeleteRole(ctx, "aDmIn"))
	_, err = s.GetRole(ctx, "Admin")
	wantErr(t, "GetRole deleted", err, store.ErrNotFound)
	wantErr(t, "DeleteRole again", s.DeleteRole(ctx, "Admin"), store.ErrNotFound)
	must(t, "CreateRole after delete", s.CreateRole(ctx, newRole("admin", "/", 4)))
}

func testIAMUpdateRole(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := newRole("Reader", "/app/", 1)
	must(t, "CreateRole", s.CreateRole(ctx, r))

	want := r
	want.Path, want.AssumeRolePolicy, want.Description = "/moved/", `{"Statement":[]}`, ""
	want.MaxSessionDuration, want.Tags = 12*time.Hour, map[string]string{"a": "1", "b": "2"}
	updated, err := s.UpdateRole(ctx, "READER", func(got *store.Role) error {
		equal(t, "the role given to the updater", *got, r)
		*got = want
		got.ID, got.Name, got.CreatedAt = "AROAZZZZZZZZZZZZZZZZZ", "reader", at(9) // kept
		return nil
	})
	must(t, "UpdateRole", err)
	equal(t, "UpdateRole's result", updated, want)
	got, err := s.GetRole(ctx, "reader")
	must(t, "GetRole", err)
	equal(t, "after UpdateRole", got, want)

	_, err = s.UpdateRole(ctx, "Reader", func(r *store.Role) error {
		r.Description = "lost"
		return errUpdater
	})
	wantErr(t, "refused update", err, errUpdater)
	got, err = s.GetRole(ctx, "Reader")
	must(t, "GetRole", err)
	equal(t, "after a refused update", got, want)

	_, err = s.UpdateRole(ctx, "nobody", func(*store.Role) error { return nil })
	wantErr(t, "UpdateRole unknown", err, store.ErrNotFound)
}

func testIAMListRoles(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Created out of order, with names whose case would order them
	// differently byte for byte.
	roles := map[string]store.Role{
		"b":  newRole("b", "/", 1),
		"A":  newRole("A", "/app/", 2),
		"C":  newRole("C", "/app/admin/", 3),
		"d":  newRole("d", "/application/", 4),
		"Ee": newRole("Ee", "/", 5),
	}
	for _, name := range []string{"d", "C", "Ee", "A", "b"} {
		must(t, "CreateRole "+name, s.CreateRole(ctx, roles[name]))
	}
	names := func(rs []store.Role) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.Name)
		}
		return out
	}
	for _, tc := range []struct {
		prefix, after string
		limit         int
		want          []string
	}{
		{"/", "", 0, []string{"A", "b", "C", "d", "Ee"}},
		{"", "", 0, []string{"A", "b", "C", "d", "Ee"}},
		{"/", "", 2, []string{"A", "b"}},
		{"/", "B", 2, []string{"C", "d"}},
		{"/", "b", 2, []string{"C", "d"}},
		{"/", "d", 2, []string{"Ee"}},
		{"/", "ee", 2, []string{}},
		{"/", "c", -1, []string{"d", "Ee"}},
		{"/app/", "", 0, []string{"A", "C"}},
		{"/app", "", 0, []string{"A", "C", "d"}},
		{"/app/admin/", "", 0, []string{"C"}},
		{"/app/", "a", 0, []string{"C"}},
		{"/APP/", "", 0, []string{}},
		{"/none/", "", 0, []string{}},
	} {
		got, err := s.ListRoles(ctx, tc.prefix, tc.after, tc.limit)
		must(t, "ListRoles", err)
		equal(t, "ListRoles("+tc.prefix+", "+tc.after+")", names(got), tc.want)
	}
	got, err := s.ListRoles(ctx, "/app/admin/", "", 0)
	must(t, "ListRoles", err)
	equal(t, "listed role", got, []store.Role{roles["C"]})
}

func testIAMPolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "CreateRole", s.CreateRole(ctx, newRole("Writer", "/", 1)))
	read := store.InlinePolicy{Name: "read", Document: `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}
	write := store.InlinePolicy{Name: "Write", Document: `{"Statement":[]}`}
	other := store.InlinePolicy{Name: "read", Document: `{"other":true}`}

	must(t, "PutPolicy", s.PutPolicy(ctx, roleOwner("Writer"), read))
	must(t, "PutPolicy by another case of the role", s.PutPolicy(ctx, roleOwner("WRITER"), write))
	must(t, "PutPolicy for a user", s.PutPolicy(ctx, userOwner("admin"), other))
	must(t, "PutPolicy for a user named as the role", s.PutPolicy(ctx, userOwner("Writer"), other))
	wantErr(t, "PutPolicy for no role", s.PutPolicy(ctx, roleOwner("nobody"), read), store.ErrNotFound)

	for _, tc := range []struct {
		owner store.PolicyOwner
		name  string
		want  store.InlinePolicy
		err   error
	}{
		{roleOwner("writer"), "read", read, nil},
		{roleOwner("Writer"), "Write", write, nil},
		{roleOwner("Writer"), "write", store.InlinePolicy{}, store.ErrNotFound}, // policy names are exact
		{roleOwner("Writer"), "none", store.InlinePolicy{}, store.ErrNotFound},
		{roleOwner("nobody"), "read", store.InlinePolicy{}, store.ErrNotFound},
		{userOwner("admin"), "read", other, nil},
		{userOwner("Admin"), "read", store.InlinePolicy{}, store.ErrNotFound}, // user names are exact
		{userOwner("writer"), "read", store.InlinePolicy{}, store.ErrNotFound},
	} {
		what := "GetPolicy " + tc.owner.Kind + " " + tc.owner.Name + " " + tc.name
		got, err := s.GetPolicy(ctx, tc.owner, tc.name)
		if tc.err != nil {
			wantErr(t, what, err, tc.err)
			continue
		}
		must(t, what, err)
		equal(t, what, got, tc.want)
	}

	list, err := s.ListPolicies(ctx, roleOwner("writer"))
	must(t, "ListPolicies", err)
	equal(t, "the role's policies by name", list, []store.InlinePolicy{write, read})
	list, err = s.ListPolicies(ctx, userOwner("admin"))
	must(t, "ListPolicies user", err)
	equal(t, "the user's policies", list, []store.InlinePolicy{other})
	list, err = s.ListPolicies(ctx, userOwner("nobody"))
	must(t, "ListPolicies none", err)
	equal(t, "no policies", len(list), 0)

	replaced := store.InlinePolicy{Name: "read", Document: `{"replaced":true}`}
	must(t, "PutPolicy replacing", s.PutPolicy(ctx, roleOwner("writer"), replaced))
	got, err := s.GetPolicy(ctx, roleOwner("Writer"), "read")
	must(t, "GetPolicy replaced", err)
	equal(t, "replaced policy", got, replaced)
	list, err = s.ListPolicies(ctx, roleOwner("Writer"))
	must(t, "ListPolicies", err)
	equal(t, "policies after replacing", list, []store.InlinePolicy{write, replaced})

	must(t, "DeletePolicy", s.DeletePolicy(ctx, roleOwner("WRITER"), "read"))
	wantErr(t, "DeletePolicy again", s.DeletePolicy(ctx, roleOwner("Writer"), "read"), store.ErrNotFound)
	wantErr(t, "DeletePolicy of no role", s.DeletePolicy(ctx, roleOwner("nobody"), "read"), store.ErrNotFound)
	_, err = s.GetPolicy(ctx, roleOwner("Writer"), "read")
	wantErr(t, "GetPolicy deleted", err, store.ErrNotFound)
	got, err = s.GetPolicy(ctx, userOwner("Writer"), "read")
	must(t, "the user's policy of the same name", err)
	equal(t, "the user's policy", got, other)
	must(t, "DeletePolicy user", s.DeletePolicy(ctx, userOwner("admin"), "read"))
	wantErr(t, "DeletePolicy user again", s.DeletePolicy(ctx, userOwner("admin"), "read"), store.ErrNotFound)
}

func testIAMPoliciesGoWithTheirRole(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, "CreateRole", s.CreateRole(ctx, newRole("Temp", "/", 1)))
	must(t, "CreateRole", s.CreateRole(ctx, newRole("Kept", "/", 2)))
	p := store.InlinePolicy{Name: "p", Document: "{}"}
	must(t, "PutPolicy", s.PutPolicy(ctx, roleOwner("Temp"), p))
	must(t, "PutPolicy", s.PutPolicy(ctx, roleOwner("Kept"), p))
	must(t, "PutPolicy user", s.PutPolicy(ctx, userOwner("temp"), p))

	must(t, "DeleteRole", s.DeleteRole(ctx, "TEMP"))
	wantErr(t, "PutPolicy on the deleted role", s.PutPolicy(ctx, roleOwner("Temp"), p), store.ErrNotFound)
	must(t, "CreateRole again", s.CreateRole(ctx, newRole("temp", "/", 3)))
	list, err := s.ListPolicies(ctx, roleOwner("temp"))
	must(t, "ListPolicies", err)
	equal(t, "policies of a new role of a deleted one's name", len(list), 0)
	list, err = s.ListPolicies(ctx, roleOwner("Kept"))
	must(t, "ListPolicies", err)
	equal(t, "another role's policies", list, []store.InlinePolicy{p})
	list, err = s.ListPolicies(ctx, userOwner("temp"))
	must(t, "ListPolicies user", err)
	equal(t, "a user's policies", list, []store.InlinePolicy{p})
}

func newOIDCProvider(url string, n int) store.OIDCProvider {
	return store.OIDCProvider{
		ARN:         "arn:aws:iam::000000000000:oidc-provider/" + url,
		URL:         url,
		ClientIDs:   []string{"app-1", "app-2"},
		Thumbprints: []string{strings.Repeat("a", 40)},
		Tags:        map[string]string{"env": "test"},
		CreatedAt:   at(n),
	}
}

func testIAMOIDCProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	b := newOIDCProvider("login.example.com/b", 1)
	a := newOIDCProvider("login.example.com/a", 2)
	bare := store.OIDCProvider{ARN: "arn:aws:iam::000000000000:oidc-provider/bare.example.com", URL: "bare.example.com",
		ClientIDs: []string{}, Tags: map[string]string{}}
	for _, p := range []store.OIDCProvider{b, bare, a} {
		must(t, "CreateOIDCProvider", s.CreateOIDCProvider(ctx, p))
	}
	dup := newOIDCProvider("login.example.com/a", 3)
	dup.ClientIDs = nil
	wantErr(t, "CreateOIDCProvider again", s.CreateOIDCProvider(ctx, dup), store.ErrAlreadyExists)
	upper := newOIDCProvider("LOGIN.example.com/a", 3)
	must(t, "CreateOIDCProvider of an ARN differing in case", s.CreateOIDCProvider(ctx, upper))

	for _, p := range []store.OIDCProvider{a, bare, upper} {
		got, err := s.GetOIDCProvider(ctx, p.ARN)
		must(t, "GetOIDCProvider", err)
		equal(t, "GetOIDCProvider "+p.ARN, got, p)
	}
	_, err := s.GetOIDCProvider(ctx, "arn:aws:iam::000000000000:oidc-provider/none")
	wantErr(t, "GetOIDCProvider unknown", err, store.ErrNotFound)
	list, err := s.ListOIDCProviders(ctx)
	must(t, "ListOIDCProviders", err)
	equal(t, "providers by ARN", list, []store.OIDCProvider{upper, bare, a, b})

	must(t, "DeleteOIDCProvider", s.DeleteOIDCProvider(ctx, a.ARN))
	wantErr(t, "DeleteOIDCProvider again", s.DeleteOIDCProvider(ctx, a.ARN), store.ErrNotFound)
	_, err = s.GetOIDCProvider(ctx, a.ARN)
	wantErr(t, "GetOIDCProvider deleted", err, store.ErrNotFound)
	list, err = s.ListOIDCProviders(ctx)
	must(t, "ListOIDCProviders", err)
	equal(t, "providers after delete", list, []store.OIDCProvider{upper, bare, b})
}

func testIAMUpdateOIDCProvider(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newOIDCProvider("login.example.com", 1)
	must(t, "CreateOIDCProvider", s.CreateOIDCProvider(ctx, p))

	want := p
	want.ClientIDs, want.Thumbprints, want.Tags = []string{"app-2", "app-3"}, []string{strings.Repeat("b", 40), strings.Repeat("C", 40)}, map[string]string{}
	updated, err := s.UpdateOIDCProvider(ctx, p.ARN, func(got *store.OIDCProvider) error {
		equal(t, "the provider given to the updater", *got, p)
		*got = want
		got.ARN, got.URL, got.CreatedAt = "arn:aws:iam::000000000000:oidc-provider/other.example.com", "other.example.com", at(9) // kept
		return nil
	})
	must(t, "UpdateOIDCProvider", err)
	equal(t, "UpdateOIDCProvider's result", updated, want)
	got, err := s.GetOIDCProvider(ctx, p.ARN)
	must(t, "GetOIDCProvider", err)
	equal(t, "after UpdateOIDCProvider", got, want)
	_, err = s.GetOIDCProvider(ctx, "arn:aws:iam::000000000000:oidc-provider/other.example.com")
	wantErr(t, "GetOIDCProvider of the ARN the updater tried", err, store.ErrNotFound)

	_, err = s.UpdateOIDCProvider(ctx, p.ARN, func(p *store.OIDCProvider) error {
		p.ClientIDs = nil
		return errUpdater
	})
	wantErr(t, "refused update", err, errUpdater)
	got, err = s.GetOIDCProvider(ctx, p.ARN)
	must(t, "GetOIDCProvider", err)
	equal(t, "after a refused update", got, want)

	_, err = s.UpdateOIDCProvider(ctx, "arn:aws:iam::000000000000:oidc-provider/none", func(*store.OIDCProvider) error { return nil })
	wantErr(t, "UpdateOIDCProvider unknown", err, store.ErrNotFound)
}

// testIAMUpdateOIDCProviderRace: racing read-modify-write updates of one
// provider's client ids (AddClientIDToOpenIDConnectProvider) lose none.
func testIAMUpdateOIDCProviderRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newOIDCProvider("race.example.com", 1)
	p.ClientIDs = []string{}
	must(t, "CreateOIDCProvider", s.CreateOIDCProvider(ctx, p))
	errs := race(func(i int) error {
		_, err := s.UpdateOIDCProvider(ctx, p.ARN, func(p *store.OIDCProvider) error {
			p.ClientIDs = append(p.ClientIDs, fmt.Sprintf("client-%02d", i))
			return nil
		})
		return err
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("racer %d", i), err)
	}
	got, err := s.GetOIDCProvider(ctx, p.ARN)
	must(t, "GetOIDCProvider", err)
	ids := slices.Sorted(slices.Values(got.ClientIDs))
	want := make([]string, racers)
	for i := range want {
		want[i] = fmt.Sprintf("client-%02d", i)
	}
	equal(t, "client ids after the race", ids, want)
}

func newSAMLProvider(name string, n int) store.SAMLProvider {
	return store.SAMLProvider{
		ARN:              "arn:aws:iam::000000000000:saml-provider/" + name,
		Name:             name,
		MetadataDocument: `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/` + name + `"/>`,
		ValidUntil:       at(n + 60*24*365),
		Tags:             map[string]string{"env": "test"},
		CreatedAt:        at(n),
	}
}

func testIAMSAMLProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	b, a := newSAMLProvider("b", 1), newSAMLProvider("a", 2)
	bare := store.SAMLProvider{ARN: "arn:aws:iam::000000000000:saml-provider/Bare", Name: "Bare", MetadataDocument: "<x/>"}
	for _, p := range []store.SAMLProvider{b, bare, a} {
		must(t, "CreateSAMLProvider", s.CreateSAMLProvider(ctx, p))
	}
	wantErr(t, "CreateSAMLProvider again", s.CreateSAMLProvider(ctx, newSAMLProvider("a", 5)), store.ErrAlreadyExists)

	for _, p := range []store.SAMLProvider{a, bare} {
		got, err := s.GetSAMLProvider(ctx, p.ARN)
		must(t, "GetSAMLProvider", err)
		equal(t, "GetSAMLProvider "+p.ARN, got, p)
	}
	_, err := s.GetSAMLProvider(ctx, "arn:aws:iam::000000000000:saml-provider/none")
	wantErr(t, "GetSAMLProvider unknown", err, store.ErrNotFound)
	list, err := s.ListSAMLProviders(ctx)
	must(t, "ListSAMLProviders", err)
	equal(t, "providers by ARN", list, []store.SAMLProvider{bare, a, b})

	must(t, "DeleteSAMLProvider", s.DeleteSAMLProvider(ctx, a.ARN))
	wantErr(t, "DeleteSAMLProvider again", s.DeleteSAMLProvider(ctx, a.ARN), store.ErrNotFound)
	_, err = s.GetSAMLProvider(ctx, a.ARN)
	wantErr(t, "GetSAMLProvider deleted", err, store.ErrNotFound)
	list, err = s.ListSAMLProviders(ctx)
	must(t, "ListSAMLProviders", err)
	equal(t, "providers after delete", list, []store.SAMLProvider{bare, b})
}

// testIAMCreateRoleRace: racing CreateRole calls for one name, each in
// its own case, end with exactly one role.
func testIAMCreateRoleRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	errs := race(func(i int) error {
		name := []byte("racer")
		for j := range name {
			if i>>j&1 == 1 {
				name[j] -= 'a' - 'A'
			}
		}
		r := newRole(string(name), "/", i)
		r.ID = "AROA" + strings.Repeat("R", 15) + string([]byte{'A' + byte(i/26), 'A' + byte(i%26)})
		return s.CreateRole(ctx, r)
	})
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			wantErr(t, "a losing CreateRole", err, store.ErrAlreadyExists)
		}
	}
	equal(t, "roles created", wins, 1)
	list, err := s.ListRoles(ctx, "/", "", 0)
	must(t, "ListRoles", err)
	equal(t, "roles stored", len(list), 1)
}

// testIAMPutPolicyWhileDeletingRole: a policy put while its role is being
// deleted is either refused or deleted with the role, never left behind.
func testIAMPutPolicyWhileDeletingRole(t *testing.T, s store.Store) {
	ctx := t.Context()
	for round := range 4 {
		must(t, "CreateRole", s.CreateRole(ctx, newRole("Doomed", "/", round)))
		errs := race(func(i int) error {
			if i == racers/2 {
				return s.DeleteRole(ctx, "doomed")
			}
			return s.PutPolicy(ctx, roleOwner("DOOMED"), store.InlinePolicy{Name: "p" + string(rune('a'+i)), Document: "{}"})
		})
		for i, err := range errs {
			if i == racers/2 {
				must(t, "DeleteRole", err)
			} else if err != nil {
				wantErr(t, "a PutPolicy that lost", err, store.ErrNotFound)
			}
		}
		must(t, "CreateRole again", s.CreateRole(ctx, newRole("doomed", "/", round)))
		list, err := s.ListPolicies(ctx, roleOwner("Doomed"))
		must(t, "ListPolicies", err)
		equal(t, "policies left behind", len(list), 0)
		must(t, "DeleteRole", s.DeleteRole(ctx, "Doomed"))
	}
}
