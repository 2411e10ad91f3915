package sigv4

import (
	"strings"
	"testing"
)

// typicalBody is a 300-byte AdminCreateUser request.
var typicalBody = func() string {
	body := `{"UserPoolId":"us-east-1_Ab12Cd34E","Username":"alice.example","TemporaryPassword":"Tmp-Passw0rd!",` +
		`"UserAttributes":[{"Name":"email","Value":"alice@example.com"},{"Name":"email_verified","Value":"true"}],` +
		`"DesiredDeliveryMediums":["EMAIL"],"MessageAction":"SUPPRESS"`
	return body + strings.Repeat(" ", 300-len(body)-1) + "}"
}()

func BenchmarkVerify(b *testing.B) {
	if len(typicalBody) != 300 {
		b.Fatalf("body is %d bytes", len(typicalBody))
	}
	s := defaultSigning()
	s.body = typicalBody
	r, body := signedRequest(b, s)
	v := testVerifier()
	if _, err := v.Verify(r, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveKey is the cost the signing key cache saves per request.
func BenchmarkDeriveKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		deriveKey(testSecret, "20261122", testRegion, testService)
	}
}
