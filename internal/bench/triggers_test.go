package bench

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
)

const testWebhookSecret = "bench-webhook-secret-0123456789"

// startServerWithFunctions runs a Cognate whose functions file maps
// DefaultTriggerARN to http://hookAddr/ with secret.
func startServerWithFunctions(t *testing.T, hookAddr, secret string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "functions.json")
	doc := map[string]any{"functions": map[string]any{DefaultTriggerARN: map[string]string{"url": "http://" + hookAddr + "/", "secret": secret}}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return startServer(t, func(c *config.Config) { c.FunctionsFile = file })
}

// TestRunTriggers runs password sign-in beside the triggers operation and
// checks that every sign-in of the latter reached the webhook twice, and
// that a secret the server does not share is seen as refused calls. It
// asserts no speed.
func TestRunTriggers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	hook := lambdatest.FreeAddr(t)
	url := startServerWithFunctions(t, hook, testWebhookSecret)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 2, Duration: 300 * time.Millisecond,
		Warmup: 50 * time.Millisecond, Rounds: 2, Ops: []string{OpPassword, OpTriggers}, Users: 3, Sessions: 2,
		FloorDuration: 50 * time.Millisecond, AdminKeyID: testKeyID, AdminSecret: testSecret,
		TriggerARN: DefaultTriggerARN, WebhookAddr: hook, WebhookSecret: testWebhookSecret}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Operations) != 2 || r.Operations[1].Op != OpTriggers {
		t.Fatalf("operations %+v", r.Operations)
	}
	s := r.Operations[1]
	if s.Errors != 0 || s.Count == 0 || s.Floor == nil {
		t.Errorf("triggers: %d done, %d errors (first: %s), floor %+v", s.Count, s.Errors, s.FirstError, s.Floor)
	}
	if w := s.Webhook; w == nil || w.PerSignIn != 2 || w.Refused != 0 || w.HandlerMicros <= 0 {
		t.Errorf("webhook %+v, want 2 invocations per sign-in and none refused", w)
	}
	if r.Operations[0].Webhook != nil || r.Setup.TriggerPoolID == "" || r.Setup.TriggerPoolID == r.PoolID {
		t.Errorf("password op webhook %+v, trigger pool %q (main pool %q)", r.Operations[0].Webhook, r.Setup.TriggerPoolID, r.PoolID)
	}

	// The webhook is gone once the run ends: its address is free again.
	ln, err := net.Listen("tcp", hook)
	if err != nil {
		t.Fatalf("the webhook still listens after the run: %v", err)
	}
	ln.Close()

	// A secret the server does not share: the set-up's probe sign-in
	// fails (the webhook refuses, the server reports the function
	// unreachable) and the run says so.
	o.WebhookSecret = "not-the-secret-the-server-has"
	if _, err := Run(ctx, o, io.Discard); err == nil || !strings.Contains(err.Error(), "UnexpectedLambdaException") {
		t.Errorf("run with the wrong webhook secret: %v, want the sign-in's UnexpectedLambdaException", err)
	}
}

// TestRunTriggersUnmappedARN: a server without the functions file refuses
// the trigger pool, and the run says what is missing.
func TestRunTriggersUnmappedARN(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	url := startServer(t)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 1, Duration: 100 * time.Millisecond, Rounds: 1,
		Ops: []string{OpTriggers}, Users: 1, Sessions: 1, AdminKeyID: testKeyID, AdminSecret: testSecret,
		TriggerARN: DefaultTriggerARN, WebhookAddr: lambdatest.FreeAddr(t), WebhookSecret: testWebhookSecret}
	_, err := Run(context.Background(), o, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "functions file") || !strings.Contains(err.Error(), "InvalidParameterException") {
		t.Errorf("run against a server without the functions file: %v", err)
	}
}
