package webhook

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret := []byte("a shared secret of some length")
	body := []byte(`{"version":"1"}`)
	at := time.Unix(1_800_000_000, 0)
	good := Sign(secret, at, body)
	other := Sign([]byte("another secret"), at, body)
	tests := []struct {
		name   string
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"fresh", good, body, at.Add(time.Second), nil},
		{"at the window's edge", good, body, at.Add(DefaultWindow), nil},
		{"receiver clock behind", good, body, at.Add(-time.Minute), nil},
		{"replayed late", good, body, at.Add(DefaultWindow + time.Second), ErrExpired},
		{"from the future", good, body, at.Add(-DefaultWindow - time.Second), ErrExpired},
		{"body changed", good, []byte(`{"version":"2"}`), at, ErrMismatch},
		{"other secret", other, body, at, ErrMismatch},
		{"rotation: one of two matches", other + "," + good[strings.Index(good, "v1="):], body, at, nil},
		{"timestamp changed", strings.Replace(good, "t=1800000000", "t=1800000001", 1), body, at, ErrMismatch},
		{"empty", "", body, at, ErrMalformed},
		{"no signature", "t=1800000000", body, at, ErrMalformed},
		{"no timestamp", good[strings.Index(good, "v1="):], body, at, ErrMalformed},
		{"two timestamps", "t=1," + good, body, at, ErrMalformed},
		{"negative timestamp", "t=-5,v1=00", body, at, ErrMalformed},
		{"not hex", "t=1800000000,v1=zz", body, at, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(secret, tt.header, tt.body, tt.now, DefaultWindow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignFormat(t *testing.T) {
	got := Sign([]byte("k"), time.Unix(42, 0), []byte("b"))
	// HMAC-SHA256("k", "42.b"), computed independently with openssl:
	// printf '42.b' | openssl dgst -sha256 -hmac k
	const want = "t=42,v1=29708207b9c7866a62ac986e82bec95be12227a866b9ed98be449a9c7aaa25c9"
	if got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func FuzzVerify(f *testing.F) {
	secret := []byte("s")
	f.Add(Sign(secret, time.Unix(100, 0), []byte("x")), []byte("x"))
	f.Add("t=,v1=", []byte(""))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		// Must not panic; a header made by Sign must verify.
		_ = Verify(secret, header, body, time.Unix(100, 0), DefaultWindow)
		if err := Verify(secret, Sign(secret, time.Unix(100, 0), body), body, time.Unix(100, 0), DefaultWindow); err != nil {
			t.Fatal(err)
		}
	})
}
