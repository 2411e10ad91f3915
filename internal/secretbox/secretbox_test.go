package secretbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func testKey() []byte { return bytes.Repeat([]byte{7}, KeySize) }

func TestSealOpen(t *testing.T) {
	box, err := New(testKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal([]byte("verifier"), []byte("users/1"))
	got, err := box.Open(sealed, []byte("users/1"))
	if err != nil || string(got) != "verifier" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if bytes.Contains(sealed, []byte("verifier")) {
		t.Fatal("sealed value contains the plaintext")
	}
}

func TestOpenRejects(t *testing.T) {
	box, _ := New(testKey(), "test")
	other, _ := New(testKey(), "other purpose")
	sealed := box.Seal([]byte("secret"), []byte("ad"))
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	cases := map[string]struct {
		box    *Box
		sealed []byte
		ad     string
	}{
		"wrong associated data": {box, sealed, "other"},
		"other purpose":         {other, sealed, "ad"},
		"tampered":              {box, tampered, "ad"},
		"truncated":             {box, sealed[:10], "ad"},
		"empty":                 {box, nil, "ad"},
	}
	for name, c := range cases {
		if _, err := c.box.Open(c.sealed, []byte(c.ad)); err != ErrOpen {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
}

func TestNewRejectsShortKey(t *testing.T) {
	if _, err := New([]byte("short"), "x"); err == nil {
		t.Fatal("New accepted a short key")
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	k1, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) || len(k1) != KeySize {
		t.Fatal("key not kept across loads")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", info.Mode().Perm())
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeyFile(path); err == nil {
		t.Fatal("garbage key file accepted")
	}
}

func BenchmarkSealOpen(b *testing.B) {
	box, _ := New(testKey(), "bench")
	msg := make([]byte, 512)
	for b.Loop() {
		s := box.Seal(msg, []byte("ad"))
		if _, err := box.Open(s, []byte("ad")); err != nil {
			b.Fatal(err)
		}
	}
}
