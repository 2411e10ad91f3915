package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/tlscert"
)

func TestDevTLSHosts(t *testing.T) {
	loopback := []string{"localhost", "127.0.0.1", "::1"}
	tests := []struct {
		name string
		cfg  config.Config
		want []string
	}{
		{"defaults", config.Config{Listen: "127.0.0.1:9229", PublicURL: "https://127.0.0.1:9229"},
			append(loopback, "127.0.0.1", "127.0.0.1")},
		{"every address", config.Config{Listen: "0.0.0.0:9229", PublicURL: "https://0.0.0.0:9229"}, append(loopback, "0.0.0.0")},
		{"bare port", config.Config{Listen: ":9229", PublicURL: "https://cognate.test"}, append(loopback, "cognate.test")},
		{"named listen and hosts", config.Config{Listen: "dev.box:8443", PublicURL: "https://[::1]:8443",
			TLSHosts: []string{"myprefix.auth.localhost"}}, append(loopback, "dev.box", "::1", "myprefix.auth.localhost")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := devTLSHosts(tt.cfg); !slices.Equal(got, tt.want) {
				t.Errorf("devTLSHosts = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTLSCA(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runSplit(t, "tls", "ca", "--data-dir", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "--tls-auto") || !strings.Contains(stderr, "--data-dir") {
		t.Fatalf("tls ca without a CA: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "tls")); err == nil {
		t.Error("tls ca made the directory it did not find")
	}
	dev, err := tlscert.OpenDev(filepath.Join(dir, "tls"), []string{"localhost"}, tlscert.DevOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(dev.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("COGNATE_DATA_DIR", dir)
	if code, stdout, stderr := runSplit(t, "tls", "ca"); code != 0 || stdout != string(want) {
		t.Fatalf("tls ca: exit %d, stdout %q, stderr %q; want ca.pem", code, stdout, stderr)
	}
	if strings.Contains(string(want), "PRIVATE") {
		t.Fatal("ca.pem holds a private key")
	}
	abs, _ := filepath.Abs(dev.CAFile())
	if code, stdout, _ := runSplit(t, "tls", "ca", "--path"); code != 0 || stdout != abs+"\n" {
		t.Fatalf("tls ca --path: exit %d, %q; want %s", code, stdout, abs)
	}
}
