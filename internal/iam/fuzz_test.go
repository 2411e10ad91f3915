package iam

import (
	"strings"
	"testing"
)

// FuzzParseMetadata checks that any document either parses or is refused
// as IAM refuses it, never anything else.
func FuzzParseMetadata(f *testing.F) {
	f.Add(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x" validUntil="2030-01-01T00:00:00Z"><IDPSSODescriptor/></EntityDescriptor>`)
	f.Add(`<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor></EntitiesDescriptor>`)
	f.Add(`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`)
	f.Fuzz(func(t *testing.T, doc string) {
		_, err := parseMetadata(doc)
		if err != nil && !strings.Contains(err.Error(), "Could not parse metadata") {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzParseRoleARN checks that a parsed ARN prints back as itself.
func FuzzParseRoleARN(f *testing.F) {
	f.Add("arn:aws:iam::123456789012:role/a/b/c")
	f.Add("arn:aws:iam::123456789012:role/c")
	f.Add("arn:aws:iam::123456789012:role//c")
	f.Fuzz(func(t *testing.T, arn string) {
		account, path, name, ok := parseRoleARN(arn)
		if !ok {
			return
		}
		if again := "arn:aws:iam::" + account + ":role" + path + name; again != arn {
			t.Fatalf("%q parsed as %q %q %q", arn, account, path, name)
		}
	})
}
