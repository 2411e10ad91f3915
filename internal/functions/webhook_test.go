package functions

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/webhook"
)

const testARN = "arn:aws:lambda:us-east-1:000000000000:function:pre-signup"

var testSecret = []byte("a webhook secret for the tests")

// receiver is a webhook receiver as a user would write it: it verifies the
// signature, runs behave and answers as Lambda does.
func receiver(t testing.TB, secret []byte, verified *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := webhook.Verify(secret, r.Header.Get(webhook.Header), body, time.Now(), webhook.DefaultWindow); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if verified != nil {
			verified.Add(1)
		}
		out, err := behave(r.Context(), body)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			out, _ = jsonObject(map[string]string{"errorMessage": err.Error(), "errorType": "errorString"})
		}
		w.Write(out)
	})
}

// loopbackServer serves h on 127.0.0.1.
func loopbackServer(t testing.TB, h http.Handler) *httptest.Server {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func webhookInvoker(t testing.TB, url string, secret []byte, timeout time.Duration) *Invoker {
	t.Helper()
	inv, err := New(Config{
		Functions: File{Functions: map[string]Target{testARN: {URL: url, Secret: string(secret)}}},
		Timeout:   timeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestWebhook(t *testing.T) {
	var verified atomic.Int64
	srv := loopbackServer(t, receiver(t, testSecret, &verified))
	for _, tc := range commonCases {
		t.Run(tc.name, func(t *testing.T) {
			check(t, webhookInvoker(t, srv.URL, testSecret, tc.timeout), testARN, tc)
		})
	}
	if verified.Load() != int64(len(commonCases)) {
		t.Fatalf("receiver verified %d requests, want %d", verified.Load(), len(commonCases))
	}
}

func TestWebhookFailures(t *testing.T) {
	good := loopbackServer(t, receiver(t, testSecret, nil))
	handler := func(f http.HandlerFunc) string { return loopbackServer(t, f).URL }
	closed := loopbackServer(t, http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name   string
		url    string
		secret []byte
		want   error
	}{
		{"wrong secret is refused by the receiver", good.URL, []byte("not the receiver's secret"), ErrUnexpected},
		{"server error", handler(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}), testSecret, ErrUnexpected},
		{"redirect not followed", handler(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, good.URL, http.StatusFound)
		}), testSecret, ErrUnexpected},
		{"connection refused", closed.URL, testSecret, ErrUnexpected},
		{"oversized response", handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(`{"a":"`))
			w.Write([]byte(strings.Repeat("x", MaxPayload)))
			w.Write([]byte(`"}`))
		}), testSecret, ErrInvalidResponse},
		{"empty body", handler(func(http.ResponseWriter, *http.Request) {}), testSecret, ErrInvalidResponse},
		{"error body without header", handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(`{"errorMessage":"bad","errorType":"X"}`))
		}), testSecret, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := webhookInvoker(t, tt.url, tt.secret, 2*time.Second).Invoke(context.Background(), testARN, eventFor("echo"))
			if tt.want == nil {
				var fe *FunctionError
				if !errors.As(err, &fe) || fe.Message != "bad" || fe.Type != "X" {
					t.Fatalf("Invoke error %v, want the function error bad (X)", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Invoke error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestWebhookCancelledContext(t *testing.T) {
	srv := loopbackServer(t, receiver(t, testSecret, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := webhookInvoker(t, srv.URL, testSecret, 0).Invoke(ctx, testARN, eventFor("echo"))
	if !errors.Is(err, ErrUnexpected) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Invoke error %v, want ErrUnexpected from context.Canceled", err)
	}
}

// BenchmarkWebhook is one signed invocation over loopback HTTP with a
// trigger-sized event, the path a webhook trigger adds to a sign-in.
func BenchmarkWebhook(b *testing.B) {
	srv := loopbackServer(b, receiver(b, testSecret, nil))
	inv := webhookInvoker(b, srv.URL, testSecret, 0)
	event := eventFor("echo")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := inv.Invoke(context.Background(), testARN, event); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWebhookParallel(b *testing.B) {
	srv := loopbackServer(b, receiver(b, testSecret, nil))
	inv := webhookInvoker(b, srv.URL, testSecret, 0)
	event := eventFor("echo")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := inv.Invoke(context.Background(), testARN, event); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
