package tlscert

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var devHosts = []string{"localhost", "127.0.0.1", "::1"}

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openDev(t *testing.T, dir string, c *clock, hosts ...string) *Dev {
	t.Helper()
	d, err := OpenDev(dir, hosts, DevOptions{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func caCert(t *testing.T, dir string) *x509.Certificate {
	t.Helper()
	b, _, err := ReadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpenDevMakesCAAndCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	c := newClock()
	d := openDev(t, dir, c, devHosts...)
	if !d.CreatedCA() {
		t.Error("CreatedCA() = false on the first open")
	}
	if d.CAFile() != filepath.Join(dir, "ca.pem") {
		t.Errorf("CAFile() = %s", d.CAFile())
	}
	ca := caCert(t, dir)
	if ca.Subject.CommonName != CAName || !ca.IsCA || !ca.MaxPathLenZero || ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("CA %s: IsCA %v, MaxPathLenZero %v, KeyUsage %v", ca.Subject, ca.IsCA, ca.MaxPathLenZero, ca.KeyUsage)
	}
	if k, ok := ca.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("CA key %T, want ECDSA P-256", ca.PublicKey)
	}
	if years := ca.NotAfter.Sub(c.Now()).Hours() / 24 / 365; years < 9.9 || years > 10.1 {
		t.Errorf("CA valid for %.1f years, want 10", years)
	}
	leaf := d.Leaf()
	if days := leaf.NotAfter.Sub(c.Now()).Hours() / 24; days > 398 || days < 390 {
		t.Errorf("server certificate valid for %.0f days, want 397", days)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, h := range append(devHosts, "[::1]") {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: h, CurrentTime: c.Now()}); err != nil {
			t.Errorf("certificate for %s: %v", h, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "example.com", CurrentTime: c.Now()}); err == nil {
		t.Error("the certificate is valid for example.com, which was not asked for")
	}
	if runtime.GOOS != "windows" {
		for name, want := range map[string]os.FileMode{"ca-key.pem": 0o600, "server.pem": 0o600, "ca.pem": 0o644, ".": 0o700} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s mode %v, want %v", name, got, want)
			}
		}
	}
	if b, _ := os.ReadFile(d.CAFile()); bytes.Contains(b, []byte("PRIVATE KEY")) {
		t.Error("ca.pem holds a private key")
	}
}

// TestOpenDevReuses: a second start keeps the CA and the certificate;
// hosts in another order or case are the same hosts.
func TestOpenDevReuses(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	first := openDev(t, dir, c, devHosts...)
	c.add(24 * time.Hour)
	second := openDev(t, dir, c, "::1", "LOCALHOST", "127.0.0.1", "localhost.")
	if second.CreatedCA() {
		t.Error("CreatedCA() = true on the second open")
	}
	if first.Leaf().SerialNumber.Cmp(second.Leaf().SerialNumber) != 0 {
		t.Error("the server certificate was issued again for the same hosts")
	}
}

func TestOpenDevIssuesAgain(t *testing.T) {
	tests := []struct {
		name  string
		hosts []string
		after time.Duration
		spoil func(t *testing.T, dir string)
	}{
		{name: "host added", hosts: append([]string{"app.localhost"}, devHosts...)},
		{name: "host removed", hosts: []string{"localhost"}},
		{name: "near its end", hosts: devHosts, after: 370 * 24 * time.Hour},
		{name: "file garbled", hosts: devHosts, spoil: func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "server.pem"), []byte("garbage"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "file missing", hosts: devHosts, spoil: func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "server.pem")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "another CA's", hosts: devHosts, spoil: func(t *testing.T, dir string) {
			other := t.TempDir()
			openDev(t, other, newClock(), devHosts...)
			b, err := os.ReadFile(filepath.Join(other, "server.pem"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "server.pem"), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := newClock()
			first := openDev(t, dir, c, devHosts...)
			ca := caCert(t, dir)
			if tt.spoil != nil {
				tt.spoil(t, dir)
			}
			c.add(tt.after)
			second := openDev(t, dir, c, tt.hosts...)
			leaf := second.Leaf()
			if leaf.SerialNumber.Cmp(first.Leaf().SerialNumber) == 0 {
				t.Fatal("the server certificate was not issued again")
			}
			if !caCert(t, dir).Equal(ca) || second.CreatedCA() {
				t.Fatal("the CA changed")
			}
			if got := certHosts(leaf); !slices.Equal(got, normalHosts(tt.hosts)) {
				t.Errorf("certificate for %q, want %q", got, normalHosts(tt.hosts))
			}
			// What is on disk is what is served.
			b, err := os.ReadFile(filepath.Join(dir, "server.pem"))
			if err != nil {
				t.Fatal(err)
			}
			onDisk, err := tls.X509KeyPair(b, b)
			if err != nil || !onDisk.Leaf.Equal(leaf) {
				t.Errorf("server.pem does not hold the new certificate (%v)", err)
			}
		})
	}
}

func TestSetHosts(t *testing.T) {
	dir := t.TempDir()
	d := openDev(t, dir, newClock(), devHosts...)
	before := d.Leaf()
	if err := d.SetHosts([]string{"127.0.0.1", "::1", "localhost"}); err != nil {
		t.Fatal(err)
	}
	if !d.Leaf().Equal(before) {
		t.Error("the same hosts issued a new certificate")
	}
	if err := d.SetHosts(append([]string{"myprefix.auth.localhost"}, devHosts...)); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(d.Leaf().DNSNames, "myprefix.auth.localhost") || !slices.Contains(d.Hosts(), "myprefix.auth.localhost") {
		t.Errorf("after SetHosts the certificate names %q", d.Leaf().DNSNames)
	}
	if err := d.SetHosts([]string{"bad host"}); err == nil {
		t.Error("SetHosts accepted a host with a space")
	}
}

// TestGetCertificateRenews: a server running for a year gets a new
// certificate before its old one ends.
func TestGetCertificateRenews(t *testing.T) {
	c := newClock()
	d := openDev(t, t.TempDir(), c, devHosts...)
	first, _ := d.GetCertificate(nil)
	c.add(300 * 24 * time.Hour)
	if got, _ := d.GetCertificate(nil); got != first {
		t.Fatal("a certificate with 97 days left was replaced")
	}
	c.add(70 * 24 * time.Hour)
	got, _ := d.GetCertificate(nil)
	if got == first || !got.Leaf.NotAfter.After(c.Now().Add(300*24*time.Hour)) {
		t.Fatalf("a certificate with 27 days left was not replaced (now ends %s)", got.Leaf.NotAfter)
	}
}

// TestBrokenCA: a CA that cannot be read is an error, and is left alone.
func TestBrokenCA(t *testing.T) {
	otherKey := func(t *testing.T, dir string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, "ca-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		other := t.TempDir()
		openDev(t, other, newClock(), "localhost")
		ob, err := os.ReadFile(filepath.Join(other, "ca-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := pem.Decode(b)
		_, rest := pem.Decode(ob)
		key, _ := pem.Decode(rest)
		return append(pem.EncodeToMemory(cert), pem.EncodeToMemory(key)...)
	}
	tests := []struct {
		name    string
		content func(t *testing.T, dir string) []byte
		want    string
	}{
		{"garbage", func(*testing.T, string) []byte { return []byte("not PEM") }, "want a PRIVATE KEY and a CERTIFICATE"},
		{"no key", func(t *testing.T, dir string) []byte {
			b, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
			return b
		}, "want a PRIVATE KEY and a CERTIFICATE"},
		{"another key", otherKey, "the key is not the certificate's"},
		{"not a CA", func(t *testing.T, dir string) []byte {
			b, _ := os.ReadFile(filepath.Join(dir, "server.pem"))
			return b
		}, "not a CA's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			openDev(t, dir, newClock(), devHosts...)
			content := tt.content(t, dir)
			path := filepath.Join(dir, "ca-key.pem")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenDev(dir, devHosts, DevOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and saying %q", err, path, tt.want)
			}
			if b, _ := os.ReadFile(path); !bytes.Equal(b, content) {
				t.Error("the broken CA was replaced")
			}
		})
	}
}

// TestConcurrentOpen: processes starting at once on one directory end up
// with one CA.
func TestConcurrentOpen(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	devs := make([]*Dev, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { devs[i], errs[i] = OpenDev(dir, devHosts, DevOptions{}) })
	}
	wg.Wait()
	created := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if devs[i].CreatedCA() {
			created++
		}
		if !devs[i].ca.Equal(devs[0].ca) {
			t.Fatal("two CAs were made")
		}
	}
	if created != 1 {
		t.Errorf("%d opens say they made the CA, want 1", created)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d files left in the directory, want ca.pem, ca-key.pem and server.pem", len(entries))
	}
}

func TestReadCA(t *testing.T) {
	dir := t.TempDir()
	if _, path, err := ReadCA(dir); err == nil || !strings.Contains(err.Error(), "--tls-auto") || path != filepath.Join(dir, "ca.pem") {
		t.Fatalf("ReadCA of an empty directory: %q, %v", path, err)
	}
	d := openDev(t, dir, newClock(), devHosts...)
	b, path, err := ReadCA(dir)
	if err != nil || path != d.CAFile() {
		t.Fatal(path, err)
	}
	if want, _ := os.ReadFile(d.CAFile()); !bytes.Equal(b, want) {
		t.Error("ReadCA does not return ca.pem")
	}
}

func TestCheckHost(t *testing.T) {
	for _, h := range []string{"localhost", "127.0.0.1", "::1", "myprefix.auth.localhost", "*.auth.localhost", "a-b.example", "10.0.0.1"} {
		if err := CheckHost(h); err != nil {
			t.Errorf("CheckHost(%q) = %v", h, err)
		}
	}
	for _, h := range []string{"", "bad host", "-a.example", "a..example", "a.*.example", "UPPER.example", "a/b", strings.Repeat("a", 64) + ".example"} {
		if err := CheckHost(h); err == nil {
			t.Errorf("CheckHost(%q) accepted", h)
		}
	}
}

// TestServesTLS12AndUp: a handshake through ServerConfig with a client
// trusting the CA, and none below TLS 1.2.
func TestServesTLS12AndUp(t *testing.T) {
	dir := t.TempDir()
	d := openDev(t, dir, &clock{t: time.Now()}, devHosts...)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", ServerConfig(d.GetCertificate))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	pool := x509.NewCertPool()
	pool.AddCert(caCert(t, dir))
	for _, tt := range []struct {
		name   string
		cfg    *tls.Config
		wantOK bool
	}{
		{"trusting the CA", &tls.Config{RootCAs: pool}, true},
		{"TLS 1.2", &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12}, true},
		{"TLS 1.1", &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, false},
		{"not trusting it", &tls.Config{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), tt.cfg)
			if err == nil {
				c.Close()
			}
			if (err == nil) != tt.wantOK {
				t.Fatalf("handshake: %v, want success %v", err, tt.wantOK)
			}
		})
	}
}
