package iam_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/federation"
	"github.com/cognate-auth/cognate/internal/iam"
)

const thumb = "990f4193972f2becf12ddeda5237f9c952f20d9e"

func TestOpenIDConnectProviders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.svc.CreateOpenIDConnectProvider(ctx, iam.OIDCProviderInput{
		URL: "https://idp.example.com/tenant", ClientIDs: []string{"app", "app", "cli"}, Thumbprints: []string{thumb},
		Tags: []iam.Tag{{"k", "v"}},
	})
	must(t, err)
	const arn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/tenant"
	if p.ARN != arn || p.URL != "idp.example.com/tenant" {
		t.Errorf("created %+v", p)
	}
	got, err := e.svc.GetOpenIDConnectProvider(ctx, arn)
	must(t, err)
	if diff := cmp.Diff([]string{"app", "cli"}, got.ClientIDs); diff != "" || got.Tags["k"] != "v" || !got.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("GetOpenIDConnectProvider = %+v %s", got, diff)
	}
	want := federation.OIDCProvider{ARN: arn, URL: "https://idp.example.com/tenant", ClientIDs: []string{"app", "cli"}, Thumbprints: []string{thumb}}
	for _, lookup := range []func() (federation.OIDCProvider, error){
		func() (federation.OIDCProvider, error) { return e.svc.OpenIDConnectProvider(ctx, arn) },
		func() (federation.OIDCProvider, error) {
			return e.svc.OpenIDConnectProviderByURL(ctx, "https://idp.example.com/tenant")
		},
	} {
		fp, err := lookup()
		must(t, err)
		if diff := cmp.Diff(want, fp); diff != "" {
			t.Error(diff)
		}
	}
	_, err = e.svc.OpenIDConnectProviderByURL(ctx, "https://other.example.com")
	wantErr(t, err, iam.CodeNoSuchEntity, "OpenIDConnect Provider not found for arn arn:aws:iam::123456789012:oidc-provider/other.example.com")

	_, err = e.svc.CreateOpenIDConnectProvider(ctx, iam.OIDCProviderInput{URL: "https://idp.example.com", ClientIDs: []string{"x"}})
	must(t, err)
	list, err := e.svc.ListOpenIDConnectProviders(ctx)
	must(t, err)
	if len(list) != 2 || list[0].ARN != "arn:aws:iam::123456789012:oidc-provider/idp.example.com" || list[1].ARN != arn {
		t.Errorf("list = %+v", list)
	}

	tests := []struct {
		name      string
		in        iam.OIDCProviderInput
		code, msg string
	}{
		{"taken", iam.OIDCProviderInput{URL: "https://idp.example.com/tenant"}, iam.CodeEntityAlreadyExists,
			"Provider with url https://idp.example.com/tenant already exists."},
		{"http", iam.OIDCProviderInput{URL: "http://idp.example.com"}, iam.CodeInvalidInput, ""},
		{"no host", iam.OIDCProviderInput{URL: "https://"}, iam.CodeInvalidInput, ""},
		{"query", iam.OIDCProviderInput{URL: "https://idp.example.com/?a=b"}, iam.CodeInvalidInput, ""},
		{"bad thumbprint", iam.OIDCProviderInput{URL: "https://a.example.com", Thumbprints: []string{"xyz"}}, iam.CodeValidationError, ""},
		{"six thumbprints", iam.OIDCProviderInput{URL: "https://a.example.com", Thumbprints: sixThumbprints()}, iam.CodeLimitExceeded,
			"Thumbprint list must contain fewer than 6 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateOpenIDConnectProvider(ctx, tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}

	must(t, e.svc.DeleteOpenIDConnectProvider(ctx, arn))
	_, err = e.svc.GetOpenIDConnectProvider(ctx, arn)
	wantErr(t, err, iam.CodeNoSuchEntity, "OpenIDConnect Provider not found for arn "+arn)
	must(t, e.svc.DeleteOpenIDConnectProvider(ctx, arn)) // already gone: IAM answers success
}

func sixThumbprints() []string {
	var out []string
	for i := range 6 {
		out = append(out, strings.Repeat(string(rune('a'+i)), 40))
	}
	return out
}

// samlMetadata is an identity provider's metadata, padded past IAM's
// minimum of 1000 characters.
func samlMetadata(validUntil string) string {
	attr := ""
	if validUntil != "" {
		attr = ` validUntil="` + validUntil + `"`
	}
	return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml"` + attr + `>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		strings.Repeat("MIIC", 200) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
}

func TestSAMLProviders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	doc := samlMetadata("2030-01-02T03:04:05Z")
	p, err := e.svc.CreateSAMLProvider(ctx, iam.SAMLProviderInput{Name: "corp", MetadataDocument: doc, Tags: []iam.Tag{{"a", "b"}}})
	must(t, err)
	const arn = "arn:aws:iam::123456789012:saml-provider/corp"
	if p.ARN != arn || !p.ValidUntil.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("created %+v", p)
	}
	got, err := e.svc.GetSAMLProvider(ctx, arn)
	must(t, err)
	if got.MetadataDocument != doc || got.Name != "corp" || got.Tags["a"] != "b" || !got.ValidUntil.Equal(p.ValidUntil) {
		t.Errorf("GetSAMLProvider = %+v", got)
	}
	_, err = e.svc.CreateSAMLProvider(ctx, iam.SAMLProviderInput{Name: "open", MetadataDocument: samlMetadata("")})
	must(t, err)
	list, err := e.svc.ListSAMLProviders(ctx)
	must(t, err)
	if len(list) != 2 || list[0].ARN != arn || !list[1].ValidUntil.IsZero() {
		t.Errorf("list = %+v", list)
	}

	sp := strings.Replace(doc, "IDPSSODescriptor", "SPSSODescriptor", 2)
	wrongNS := strings.Replace(doc, "urn:oasis:names:tc:SAML:2.0:metadata", "urn:example", 1)
	tests := []struct {
		name      string
		in        iam.SAMLProviderInput
		code, msg string
	}{
		{"taken", iam.SAMLProviderInput{Name: "corp", MetadataDocument: doc}, iam.CodeEntityAlreadyExists, "Provider with name corp already exists."},
		{"not XML", iam.SAMLProviderInput{Name: "x", MetadataDocument: strings.Repeat("{", 1200)}, iam.CodeInvalidInput, "Could not parse metadata"},
		{"service provider", iam.SAMLProviderInput{Name: "x", MetadataDocument: sp}, iam.CodeInvalidInput, "Could not parse metadata"},
		{"not metadata", iam.SAMLProviderInput{Name: "x", MetadataDocument: wrongNS}, iam.CodeInvalidInput, "Could not parse metadata"},
		{"bad validUntil", iam.SAMLProviderInput{Name: "x", MetadataDocument: samlMetadata("soon")}, iam.CodeInvalidInput, "Could not parse metadata"},
		{"short", iam.SAMLProviderInput{Name: "x", MetadataDocument: "<a/>"}, iam.CodeValidationError, ""},
		{"bad name", iam.SAMLProviderInput{Name: "a b", MetadataDocument: doc}, iam.CodeValidationError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateSAMLProvider(ctx, tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	must(t, e.svc.DeleteSAMLProvider(ctx, arn))
	wantErr(t, e.svc.DeleteSAMLProvider(ctx, arn), iam.CodeNoSuchEntity, "Manifest not found for arn "+arn)
	_, err = e.svc.GetSAMLProvider(ctx, arn)
	wantErr(t, err, iam.CodeNoSuchEntity, "Manifest not found for arn "+arn)
}
