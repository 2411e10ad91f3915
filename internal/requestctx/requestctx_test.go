package requestctx

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
)

func TestValues(t *testing.T) {
	ctx := context.Background()
	if RequestID(ctx)+Operation(ctx)+Region(ctx)+ClientIP(ctx) != "" {
		t.Fatal("an empty context holds values")
	}
	ctx = WithRequestID(ctx, "id-1")
	ctx = WithOperation(ctx, "SignUp")
	ctx = WithRegion(ctx, "eu-west-1")
	ctx = WithClientIP(ctx, "192.0.2.7")
	got := [4]string{RequestID(ctx), Operation(ctx), Region(ctx), ClientIP(ctx)}
	if want := [4]string{"id-1", "SignUp", "eu-west-1", "192.0.2.7"}; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestResources(t *testing.T) {
	SetResources(context.Background(), "p", "c") // no room: nothing happens
	if p, c := Resources(context.Background()); p != "" || c != "" {
		t.Fatalf("Resources without WithResources = %q %q", p, c)
	}
	ctx := WithResources(context.Background())
	child := WithRegion(ctx, "us-east-1") // handlers see derived contexts
	SetResources(child, "us-east-1_Pool", "")
	SetResources(child, "", "client1")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { SetResources(child, "us-east-1_Pool", "client1") })
	}
	wg.Wait()
	if p, c := Resources(ctx); p != "us-east-1_Pool" || c != "client1" {
		t.Fatalf("Resources = %q %q", p, c)
	}
}

func TestRemoteIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		peer    string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{name: "peer, no proxies configured", peer: "192.0.2.1:5000", xff: []string{"203.0.113.9"}, want: "192.0.2.1"},
		{name: "untrusted peer's header is ignored", peer: "192.0.2.1:5000", xff: []string{"203.0.113.9"}, trusted: trusted, want: "192.0.2.1"},
		{name: "trusted peer without header", peer: "10.1.2.3:5000", trusted: trusted, want: "10.1.2.3"},
		{name: "trusted peer, one hop", peer: "10.1.2.3:5000", xff: []string{"203.0.113.9"}, trusted: trusted, want: "203.0.113.9"},
		{name: "right-most untrusted wins over a forged left part", peer: "10.1.2.3:5000",
			xff: []string{"198.51.100.66, 203.0.113.9, 10.9.9.9"}, trusted: trusted, want: "203.0.113.9"},
		{name: "several headers read as one list", peer: "10.1.2.3:5000",
			xff: []string{"198.51.100.66", "203.0.113.9", "10.9.9.9"}, trusted: trusted, want: "203.0.113.9"},
		{name: "all trusted: the left-most", peer: "10.1.2.3:5000", xff: []string{"10.7.7.7, 10.9.9.9"}, trusted: trusted, want: "10.7.7.7"},
		{name: "malformed entry stops at the last believable hop", peer: "10.1.2.3:5000",
			xff: []string{"203.0.113.9, garbage, 10.9.9.9"}, trusted: trusted, want: "10.9.9.9"},
		{name: "empty entry is malformed", peer: "10.1.2.3:5000", xff: []string{"203.0.113.9,,"}, trusted: trusted, want: "10.1.2.3"},
		{name: "ports and brackets", peer: "[fd00::1]:443", xff: []string{"[2001:db8::5]:1234"}, trusted: trusted, want: "2001:db8::5"},
		{name: "IPv4-mapped peer", peer: "[::ffff:10.1.2.3]:80", xff: []string{"203.0.113.9:8080"}, trusted: trusted, want: "203.0.113.9"},
		{name: "unreadable peer", peer: "@", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := RemoteIP(r, tt.trusted); got != tt.want {
				t.Errorf("RemoteIP = %q, want %q", got, tt.want)
			}
		})
	}
}
