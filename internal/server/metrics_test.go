package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/config"
)

// The metrics endpoint counts answered requests by operation and exception.
func TestMetrics(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1", PublicURL: "http://127.0.0.1:0",
		MasterKeyFile: dir + "/master.key", LogLevel: "error",
		AdminAccessKeyID: "AKIAMETRICS000000000", AdminSecretAccessKey: "metricssecretmetricssecretmetricssecret0"}
	srv, err := New(t.Context(), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)

	call := func(target, body string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	call("AWSCognitoIdentityProviderService.InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"nosuchclient","AuthParameters":{"USERNAME":"a","PASSWORD":"b"}}`)
	call("AWSCognitoIdentityProviderService.InitiateAuth", `{}`)
	call("AWSCognitoIdentityProviderService.NoSuchThing", `{}`)

	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	text := string(b)
	for _, want := range []string{
		`cognate_requests_total{error="ResourceNotFoundException",operation="InitiateAuth",status="400"} 1`,
		`cognate_requests_total{error="InvalidParameterException",operation="InitiateAuth",status="400"} 1`,
		`cognate_requests_total{error="UnknownOperationException",operation="",status="400"} 1`,
		`cognate_request_duration_seconds_count{operation="InitiateAuth"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
