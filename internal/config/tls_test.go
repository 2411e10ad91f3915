package config

import (
	"slices"
	"strings"
	"testing"
)

func TestTLSSettings(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		env           map[string]string
		wantPublicURL string
		wantAuto      bool
		wantHosts     []string
		wantErr       []string
	}{
		{name: "none", wantPublicURL: "http://127.0.0.1:9229"},
		{name: "files", args: []string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, wantPublicURL: "https://127.0.0.1:9229"},
		{name: "files from the environment", env: map[string]string{"COGNATE_TLS_CERT": "c.pem", "COGNATE_TLS_KEY": "k.pem"},
			wantPublicURL: "https://127.0.0.1:9229"},
		{name: "auto", args: []string{"--tls-auto", "--listen", "localhost:8443"}, wantPublicURL: "https://localhost:8443", wantAuto: true},
		{name: "auto from the environment", env: map[string]string{"COGNATE_TLS_AUTO": "true", "COGNATE_TLS_HOSTS": " App.Localhost ,10.0.0.2"},
			wantPublicURL: "https://127.0.0.1:9229", wantAuto: true, wantHosts: []string{"app.localhost", "10.0.0.2"}},
		{name: "flag off wins over the environment", args: []string{"--tls-auto=false"}, env: map[string]string{"COGNATE_TLS_AUTO": "1"},
			wantPublicURL: "http://127.0.0.1:9229"},
		{name: "a public URL is kept", args: []string{"--tls-auto", "--public-url", "https://cognate.test:8443/"},
			wantPublicURL: "https://cognate.test:8443", wantAuto: true},
		{name: "an http public URL behind TLS is the operator's choice", args: []string{"--tls-auto", "--public-url", "http://proxy.test"},
			wantPublicURL: "http://proxy.test", wantAuto: true},
		{name: "a proxy's https public URL without TLS", args: []string{"--public-url", "https://auth.example.com"},
			wantPublicURL: "https://auth.example.com"},
		{name: "certificate without key", args: []string{"--tls-cert", "c.pem"}, wantErr: []string{"--tls-cert and --tls-key"}},
		{name: "key without certificate", env: map[string]string{"COGNATE_TLS_KEY": "k.pem"}, wantErr: []string{"--tls-cert and --tls-key"}},
		{name: "auto and files", args: []string{"--tls-auto", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, wantErr: []string{"not both"}},
		{name: "hosts without auto", args: []string{"--tls-hosts", "app.localhost"}, wantErr: []string{"--tls-hosts"}},
		{name: "every bad host and setting at once", args: []string{"--tls-hosts", "ok.localhost,bad host,a..b", "--region", "mars"},
			env:     map[string]string{"COGNATE_TLS_AUTO": "yes please"},
			wantErr: []string{`COGNATE_TLS_AUTO "yes please"`, `host "bad host"`, `host "a..b"`, `region "mars"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.args, tt.env)
			if tt.wantErr != nil {
				for _, w := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("error %v, want one saying %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.PublicURL != tt.wantPublicURL || c.TLSAuto != tt.wantAuto || !slices.Equal(c.TLSHosts, tt.wantHosts) {
				t.Errorf("public URL %s, auto %v, hosts %q; want %s, %v, %q", c.PublicURL, c.TLSAuto, c.TLSHosts,
					tt.wantPublicURL, tt.wantAuto, tt.wantHosts)
			}
		})
	}
}
