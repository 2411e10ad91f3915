package codes

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func TestNew(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := New(rand.Reader)
		if len(c) != 6 || bytes.ContainsFunc([]byte(c), func(r rune) bool { return r < '0' || r > '9' }) {
			t.Fatalf("code %q is not six digits", c)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Fatalf("%d distinct codes of 200", len(seen))
	}
	// Bytes of 250 and above are drawn again: nine of them make one digit.
	if c := New(bytes.NewReader([]byte{255, 250, 3, 251, 14, 25, 36, 47, 58})); c != "345678" {
		t.Fatalf("code %q, want 345678", c)
	}
}

func TestHashBindsUserAndPurpose(t *testing.T) {
	h, err := NewHasher(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	base := h.Hash("p", "s", "SignUp", "123456")
	for _, other := range [][]byte{h.Hash("q", "s", "SignUp", "123456"), h.Hash("p", "t", "SignUp", "123456"),
		h.Hash("p", "s", "ForgotPassword", "123456"), h.Hash("p", "s", "SignUp", "123457")} {
		if bytes.Equal(base, other) {
			t.Fatal("a hash does not depend on every part")
		}
	}
	h2, _ := NewHasher(bytes.Repeat([]byte{2}, 32))
	if bytes.Equal(base, h2.Hash("p", "s", "SignUp", "123456")) {
		t.Fatal("a hash does not depend on the key")
	}
}
