package tlscert

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned returns a certificate for name and its key, as PEM.
func selfSigned(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: k})
}

// writePair writes a pair and stamps both files with mod, so that a test
// does not depend on the file system's clock resolution.
func writePair(t *testing.T, certFile, keyFile string, cert, key []byte, mod time.Time) {
	t.Helper()
	for name, b := range map[string][]byte{certFile: cert, keyFile: key} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadFilesErrors(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, "a.example")
	otherCert, _ := selfSigned(t, "b.example")
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	certFile, keyFile := write("cert.pem", cert), write("key.pem", key)
	tests := []struct {
		name, cert, key string
		want            []string
	}{
		{"no certificate file", filepath.Join(dir, "missing.pem"), keyFile, []string{"TLS certificate", "missing.pem"}},
		{"no key file", certFile, filepath.Join(dir, "missing-key.pem"), []string{"TLS key", "missing-key.pem"}},
		{"certificate not PEM", write("garbage.pem", []byte("hello")), keyFile, []string{"garbage.pem", "failed to find any PEM data in certificate input"}},
		{"key not PEM", certFile, write("garbage-key.pem", []byte("hello")), []string{"garbage-key.pem", "failed to find any PEM data in key input"}},
		{"key swapped for certificate", keyFile, certFile, []string{"key.pem"}},
		{"key of another certificate", write("other.pem", otherCert), keyFile, []string{"other.pem", "private key does not match public key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFiles(tt.cert, tt.key, FileOptions{})
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want one saying %q", err, w)
				}
			}
		})
	}
}

func TestFilesReload(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	c := newClock()
	mod := time.Now().Add(-time.Hour).Truncate(time.Second)
	certA, keyA := selfSigned(t, "a.example")
	writePair(t, certFile, keyFile, certA, keyA, mod)
	var logs bytes.Buffer
	f, err := LoadFiles(certFile, keyFile, FileOptions{CheckEvery: 5 * time.Second, Now: c.Now,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	served := func() string {
		t.Helper()
		cert, err := f.GetCertificate(nil)
		if err != nil {
			t.Fatal(err)
		}
		return cert.Leaf.Subject.CommonName
	}
	if got := served(); got != "a.example" {
		t.Fatalf("serving %s, want a.example", got)
	}

	certB, keyB := selfSigned(t, "b.example")
	writePair(t, certFile, keyFile, certB, keyB, mod.Add(time.Second))
	c.add(4 * time.Second)
	if got := served(); got != "a.example" {
		t.Fatalf("the files were looked at again after 4s (serving %s)", got)
	}
	c.add(time.Second)
	if got := served(); got != "b.example" {
		t.Fatalf("serving %s 5s after the files changed, want b.example", got)
	}

	// A certificate written before its key: the old pair stays, once,
	// with a warning, until the key follows.
	certC, keyC := selfSigned(t, "c.example")
	writePair(t, certFile, keyFile, certC, keyB, mod.Add(2*time.Second))
	c.add(5 * time.Second)
	if got := served(); got != "b.example" {
		t.Fatalf("serving %s with mismatched files, want b.example kept", got)
	}
	c.add(5 * time.Second)
	served()
	if n := strings.Count(logs.String(), "do not load"); n != 1 {
		t.Errorf("%d warnings about the same broken files, want 1:\n%s", n, logs.String())
	}
	writePair(t, certFile, keyFile, certC, keyC, mod.Add(3*time.Second))
	c.add(5 * time.Second)
	if got := served(); got != "c.example" {
		t.Fatalf("serving %s once the key followed, want c.example", got)
	}
	if f.Leaf().Subject.CommonName != "c.example" {
		t.Error("Leaf() is not the certificate served")
	}

	// Files removed (a rotation in progress): the last pair stays.
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	c.add(5 * time.Second)
	if got := served(); got != "c.example" {
		t.Fatalf("serving %s without a key file, want c.example kept", got)
	}
	if !strings.Contains(logs.String(), "unreadable") {
		t.Errorf("no warning about the missing key file:\n%s", logs.String())
	}
}
