package domains

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/store/sqlstore"
)

func TestParseHost(t *testing.T) {
	tests := []struct {
		host string
		want Route
		ok   bool
	}{
		{"myapp.auth.localhost", Route{Name: "myapp"}, true},
		{"MyApp.Auth.LocalHost:8443", Route{Name: "myapp"}, true},
		{"myapp.auth.localhost.", Route{Name: "myapp"}, true},
		{"my-app-2.auth.localhost:443", Route{Name: "my-app-2"}, true},
		{"myapp.auth.us-east-1.amazoncognito.com", Route{Name: "myapp", Region: "us-east-1"}, true},
		{"MYAPP.AUTH.EU-WEST-1.AMAZONCOGNITO.COM:443", Route{Name: "myapp", Region: "eu-west-1"}, true},
		{"auth.example.com", Route{Name: "auth.example.com", Custom: true}, true},
		{"Auth.Example.COM:8080", Route{Name: "auth.example.com", Custom: true}, true},
		{"login.example.co.uk.", Route{Name: "login.example.co.uk", Custom: true}, true},

		{"", Route{}, false},
		{"auth.localhost", Route{}, false},     // the suffix itself
		{"a.b.auth.localhost", Route{}, false}, // two labels under the suffix
		{"-x.auth.localhost", Route{}, false},  // a label starting with a hyphen
		{"x-.auth.localhost", Route{}, false},  // ending with one
		{"localhost", Route{}, false},          // one label is no custom domain
		{"localhost:9229", Route{}, false},     // the API host
		{"127.0.0.1.nip", Route{Name: "127.0.0.1.nip", Custom: true}, true},
		{"[::1]:8080", Route{}, false},                   // IP literals
		{"auth.example.com:", Route{}, false},            // an empty port
		{"auth.example.com:http", Route{}, false},        // a port that is no number
		{"auth.example.com:123456", Route{}, false},      // too long a port
		{"auth..example.com", Route{}, false},            // an empty label
		{"auth_x.example.com", Route{}, false},           // an underscore
		{"aüth.example.com", Route{}, false},             // not ASCII
		{"auth.example.com/x", Route{}, false},           // a path
		{"myapp.auth.amazoncognito.com", Route{}, false}, // no region
		{"a.b.auth.us-east-1.amazoncognito.com", Route{}, false},
		{"x.amazoncognito.com", Route{}, false},
		{strings.Repeat("a", 64) + ".auth.localhost", Route{}, false},
		{strings.Repeat("a.", 130) + "com", Route{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseHost(tt.host, DefaultSuffix)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseHost(%q) = %+v, %v; want %+v, %v", tt.host, got, ok, tt.want, tt.ok)
		}
	}
}

func TestValidSuffix(t *testing.T) {
	for suffix, want := range map[string]bool{
		"auth.localhost": true, "auth.example.test": true, "login.internal": true,
		"localhost": false, "Auth.localhost": false, "auth.localhost.": false, "": false,
		"auth.us-east-1.amazoncognito.com": false, ".auth.localhost": false, "auth.localhost:80": false,
	} {
		if got := ValidSuffix(suffix); got != want {
			t.Errorf("ValidSuffix(%q) = %v, want %v", suffix, got, want)
		}
	}
	if _, err := NewResolver(nil, "localhost"); err == nil {
		t.Error("NewResolver accepts a one-label suffix")
	}
}

const poolA, poolB = "us-east-1_AAAAAAAAA", "eu-west-1_BBBBBBBBB"

// replicas opens two stores on one database, as two replicas of a server
// are, with pools A and B, A's prefix domain myapp and B's custom domain
// auth.example.com.
func replicas(t testing.TB) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	cfg := sqlstore.Config{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "cognate.db"), MasterKey: bytes.Repeat([]byte{7}, 32)}
	open := func() *sqlstore.Store {
		s, err := sqlstore.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := open()
	ctx := context.Background()
	now := time.Now().UTC()
	for _, id := range []string{poolA, poolB} {
		if err := a.CreatePool(ctx, store.Pool{ID: id, Name: id, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []store.Domain{
		{Name: "myapp", PoolID: poolA, ManagedLoginVersion: 1, CreatedAt: now, UpdatedAt: now},
		{Name: "auth.example.com", PoolID: poolB, Custom: true, CertificateARN: "arn:aws:acm:us-east-1:000000000000:certificate/x",
			ManagedLoginVersion: 2, CreatedAt: now, UpdatedAt: now},
	} {
		if err := a.CreateDomain(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	return a, open()
}

func TestResolve(t *testing.T) {
	st, _ := replicas(t)
	r, err := NewResolver(st, DefaultSuffix)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host, pool string // "" for ErrUnknownHost
	}{
		{"myapp.auth.localhost", poolA},
		{"MYAPP.auth.localhost:443", poolA},
		{"myapp.auth.us-east-1.amazoncognito.com", poolA},
		{"myapp.auth.eu-west-1.amazoncognito.com", ""}, // the pool is in us-east-1
		{"auth.example.com", poolB},
		{"AUTH.example.com:8443", poolB},
		{"other.auth.localhost", ""},
		{"auth.example.com.auth.localhost", ""},
		{"myapp.example.com", ""},
		{"myapp", ""}, // a prefix is no custom domain
		{"localhost:9229", ""},
	}
	for _, tt := range tests {
		d, err := r.Resolve(t.Context(), tt.host)
		switch {
		case tt.pool == "" && !errors.Is(err, ErrUnknownHost):
			t.Errorf("Resolve(%q) = %+v, %v; want ErrUnknownHost", tt.host, d, err)
		case tt.pool != "" && (err != nil || d.PoolID != tt.pool):
			t.Errorf("Resolve(%q) = %+v, %v; want a domain of %s", tt.host, d, err, tt.pool)
		}
	}
}

// TestResolveAcrossReplicas: a domain deleted through one replica stops
// routing on the other at once, and one created routes at once.
func TestResolveAcrossReplicas(t *testing.T) {
	one, two := replicas(t)
	r, err := NewResolver(two, DefaultSuffix)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := r.Resolve(ctx, "myapp.auth.localhost"); err != nil {
		t.Fatal(err)
	}
	if err := one.DeleteDomain(ctx, "myapp"); err != nil {
		t.Fatal(err)
	}
	if d, err := r.Resolve(ctx, "myapp.auth.localhost"); !errors.Is(err, ErrUnknownHost) {
		t.Fatalf("after DeleteDomain on the other replica: %+v, %v", d, err)
	}
	now := time.Now().UTC()
	if err := one.CreateDomain(ctx, store.Domain{Name: "newapp", PoolID: poolA, ManagedLoginVersion: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if d, err := r.Resolve(ctx, "newapp.auth.localhost"); err != nil || d.PoolID != poolA {
		t.Fatalf("after CreateDomain on the other replica: %+v, %v", d, err)
	}
}

// BenchmarkResolve measures what routing a request costs without a cache:
// one read of the embedded store by primary key.
func BenchmarkResolve(b *testing.B) {
	st, _ := replicas(b)
	r, err := NewResolver(st, DefaultSuffix)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.Resolve(ctx, "MyApp.auth.localhost:443"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"myapp.auth.localhost", "MyApp.Auth.LocalHost:8443", "myapp.auth.us-east-1.amazoncognito.com",
		"auth.example.com.", "[::1]:80", "a..b", "x:", "auth.localhost", "ä.example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		r, ok := ParseHost(host, DefaultSuffix)
		if !ok {
			if r != (Route{}) {
				t.Fatalf("ParseHost(%q) refused with %+v", host, r)
			}
			return
		}
		// What a host names, it names in any case and with a port.
		if r2, ok2 := ParseHost(strings.ToUpper(host), DefaultSuffix); !ok2 || r2 != r {
			t.Fatalf("ParseHost(%q) = %+v, but of its upper case %+v, %v", host, r, r2, ok2)
		}
		// And the host Cognate serves the route at names it again.
		served := r.Name + "." + DefaultSuffix
		switch {
		case r.Custom:
			served = r.Name
			if strings.HasSuffix(r.Name, "."+DefaultSuffix) || strings.HasSuffix(r.Name, cognitoSuffix) {
				t.Fatalf("ParseHost(%q) = custom domain %q under a prefix suffix", host, r.Name)
			}
		case r.Region != "":
			served = r.Name + ".auth." + r.Region + cognitoSuffix
		}
		if r2, ok2 := ParseHost(served+":443", DefaultSuffix); !ok2 || r2 != r {
			t.Fatalf("ParseHost(%q) = %+v, but of %q %+v, %v", host, r, served, r2, ok2)
		}
		if len(r.Name) > maxHost || r.Name != strings.ToLower(r.Name) || strings.Contains(r.Name, ":") {
			t.Fatalf("ParseHost(%q) = name %q", host, r.Name)
		}
	})
}
