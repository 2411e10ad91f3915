package clientauth

import (
	"errors"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

func TestFlowAllowed(t *testing.T) {
	client := func(flows ...string) store.Client {
		return store.Client{Settings: store.ClientSettings{ExplicitAuthFlows: flows}}
	}
	cases := []struct {
		c     store.Client
		allow string
		want  bool
	}{
		{client(), AllowUserSRP, true},
		{client(), AllowUserPassword, false},
		{client(AllowUserPassword), AllowUserSRP, false},
		{client(AllowUserPassword), AllowUserPassword, true},
		{client(legacyUserPassword), AllowUserSRP, true},
		{client(legacyUserPassword), AllowUserPassword, true},
		{client(legacyAdminNoSRP), AllowAdminPassword, true},
		{client(legacyAdminNoSRP), AllowUserPassword, false},
		{client(legacyCustomAuthOnly), AllowUserSRP, false},
		{client(legacyCustomAuthOnly), AllowRefreshToken, true},
	}
	for _, c := range cases {
		if got := FlowAllowed(c.c, c.allow); got != c.want {
			t.Errorf("flows %v allow %s = %v, want %v", c.c.Settings.ExplicitAuthFlows, c.allow, got, c.want)
		}
	}
	if _, err := NormaliseFlows([]string{legacyUserPassword, AllowUserSRP}); err == nil {
		t.Error("mixing legacy and ALLOW_ flows accepted")
	}
}

func TestSecretHash(t *testing.T) {
	c := store.Client{ID: "client", Secrets: []store.ClientSecret{{Value: "old"}, {Value: "new"}}}
	for _, secret := range []string{"old", "new"} {
		if err := CheckSecretHash(c, SecretHash("alice", "client", secret), "bob", "alice"); err != nil {
			t.Errorf("secret %s: %v", secret, err)
		}
	}
	var ae *apierr.Error
	if err := CheckSecretHash(c, SecretHash("alice", "client", "other"), "alice"); !errors.As(err, &ae) || ae.Code != apierr.NotAuthorized {
		t.Errorf("wrong secret: %v", err)
	}
	if err := CheckSecretHash(c, "", "alice"); err == nil {
		t.Error("a missing SECRET_HASH was accepted")
	}
	if err := CheckSecretHash(store.Client{ID: "public"}, "", "alice"); err != nil {
		t.Errorf("public client: %v", err)
	}
	if err := CheckClientSecret(c, "new"); err != nil {
		t.Errorf("client secret: %v", err)
	}
	if err := CheckClientSecret(c, ""); err == nil {
		t.Error("a missing client secret was accepted")
	}
}
