package srp

import (
	"strings"
	"testing"
	"time"
)

func FuzzParsePublic(f *testing.F) {
	for _, s := range []string{"1", "abc", "ABC", "000abc", "0", "", "-1", "+1", "0x1", modulusHex, modulusHex[:767]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		A, err := ParsePublic(s)
		if err != nil {
			return
		}
		if len(A) != groupSize {
			t.Fatalf("ParsePublic(%q) returned %d bytes", s, len(A))
		}
		if n, err := element(A); err != nil || n.IsZero() == 1 {
			t.Fatalf("ParsePublic(%q) = %x, not in [1, N)", s, A)
		}
		if want := strings.TrimLeft(strings.ToLower(s), "0"); HexInt(A) != want {
			t.Fatalf("ParsePublic(%q) = %s, want %s", s, HexInt(A), want)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"Tue Nov 3 09:04:05 UTC 2026", "Fri Nov 13 23:59:59 UTC 2026", "Tue Nov 03 09:04:05 UTC 2026",
		"Mon Nov 3 09:04:05 UTC 2026", "Tue Feb 29 00:00:00 UTC 2028", "", "Tue Nov 3 09:04:05 GMT 2026",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		if ts.Location() != time.UTC {
			t.Fatalf("ParseTimestamp(%q) is in %v", s, ts.Location())
		}
		canonical := FormatTimestamp(ts)
		again, err := ParseTimestamp(canonical)
		if err != nil || !again.Equal(ts) || FormatTimestamp(again) != canonical {
			t.Fatalf("ParseTimestamp(%q) = %v, but its canonical form %q reads back as %v, %v", s, ts, canonical, again, err)
		}
	})
}

// FuzzVerifyClaim feeds arbitrary claims to VerifyClaim, which must never
// panic; the seed that is a real claim must verify.
func FuzzVerifyClaim(f *testing.F) {
	c := vectorClaim(f)
	f.Add(c.PoolName, c.UserID, c.Verifier, c.ClientPublic, c.ServerSecret, c.ServerPublic, c.SecretBlock, c.Timestamp, c.Signature)
	f.Add("", "", []byte{}, []byte{}, []byte{}, []byte{}, []byte{}, "", "")
	f.Add("p", "u", []byte{2}, []byte{1}, []byte{1}, []byte{1}, []byte{0}, "Tue Nov 3 09:04:05 UTC 2026", "AAAA")
	f.Add("p", "u", modulusBytes, modulusBytes, modulusBytes, modulusBytes, modulusBytes, "x", "====")
	f.Fuzz(func(t *testing.T, pool, user string, v, A, b, B, block []byte, ts, sig string) {
		got := VerifyClaim(Claim{
			PoolName: pool, UserID: user,
			Verifier: v, ClientPublic: A, ServerSecret: b, ServerPublic: B,
			SecretBlock: block, Timestamp: ts, Signature: sig,
		})
		if pool == c.PoolName && user == c.UserID && string(v) == string(c.Verifier) &&
			string(A) == string(c.ClientPublic) && string(b) == string(c.ServerSecret) &&
			string(B) == string(c.ServerPublic) && string(block) == string(c.SecretBlock) &&
			ts == c.Timestamp && sig == c.Signature && !got {
			t.Fatal("the real claim does not verify")
		}
	})
}

// FuzzParseVerifier: a verifier a client sends (ConfirmDevice) is accepted
// only as an element of [1, N), returned as that element in groupSize
// bytes.
func FuzzParseVerifier(f *testing.F) {
	for _, b := range [][]byte{nil, {0}, {1}, {0, 0, 2}, modulusBytes, append([]byte{0}, modulusBytes...), make([]byte, groupSize+1)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseVerifier(b)
		if err != nil {
			return
		}
		if len(v) != groupSize {
			t.Fatalf("ParseVerifier(%x) returned %d bytes", b, len(v))
		}
		if HexInt(v) != HexInt(b) {
			t.Fatalf("ParseVerifier(%x) = %x, another integer", b, v)
		}
		if n, err := element(v); err != nil || n.IsZero() == 1 {
			t.Fatalf("ParseVerifier(%x) = %x, not in [1, N)", b, v)
		}
	})
}
