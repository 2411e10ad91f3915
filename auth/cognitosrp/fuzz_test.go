package cognitosrp

import (
	"encoding/base64"
	"testing"
)

// FuzzClaimSignature feeds arbitrary challenge parameters to the client,
// which must answer with a well-formed signature or an error, never a panic.
func FuzzClaimSignature(f *testing.F) {
	f.Add("alice", testSalt, testB, testBlock)
	f.Add("", "", "", "")
	f.Add("u", "0", "0", "AA")
	f.Add("u", "-1", n.Text(16), "_-_-")
	f.Add("u", "00000001", "FFFF", "AAAA====")
	c := testClient(f)
	f.Fuzz(func(t *testing.T, userID, salt, srpB, block string) {
		sig, ts, err := c.ClaimSignature(userID, salt, srpB, block, testNow)
		if err != nil {
			if sig != "" || ts != "" {
				t.Fatalf("error %v with output %q, %q", err, sig, ts)
			}
			return
		}
		if raw, err := base64.StdEncoding.DecodeString(sig); err != nil || len(raw) != 32 {
			t.Fatalf("signature %q is not 32 bytes of base64", sig)
		}
		if ts != "Tue Nov 3 09:04:05 UTC 2026" {
			t.Fatalf("timestamp %q", ts)
		}
	})
}
