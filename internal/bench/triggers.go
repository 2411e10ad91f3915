package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cognate-auth/cognate/webhook"
)

// The triggers operation is password sign-in in a second pool, made for
// the run, whose pre authentication and pre token generation functions are
// a webhook this process serves: each sign-in makes the server call it
// twice. The webhook does what a function with nothing to decide does: it
// checks the request's signature and answers with the event it was sent.
// Run beside the password operation, the difference between the two is
// what the two triggers cost a sign-in.
//
// The server reaches the webhook through its functions file, which must
// map Options.TriggerARN to http://<Options.WebhookAddr>/ with
// Options.WebhookSecret (docs/benchmarks.md shows the file).

// maxWebhookBody bounds the events the webhook reads: far above a sign-in
// event, far below anything that could hurt.
const maxWebhookBody = 1 << 20

// noopWebhook is the triggers operation's function.
type noopWebhook struct {
	secret   []byte
	srv      *http.Server
	done     chan struct{}
	calls    atomic.Int64 // requests whose signature held
	refused  atomic.Int64 // requests refused: bad signature, body too large
	handling atomic.Int64 // nanoseconds spent in the handler, for calls
}

// startWebhook listens on addr and serves the no-op function until stop.
func startWebhook(addr string, secret []byte) (*noopWebhook, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serving the triggers' webhook: %w", err)
	}
	h := &noopWebhook{secret: secret, done: make(chan struct{})}
	h.srv = &http.Server{Handler: http.HandlerFunc(h.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(h.done)
		_ = h.srv.Serve(ln)
	}()
	return h, nil
}

func (h *noopWebhook) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodPost {
		h.refused.Add(1)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		h.refused.Add(1)
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := webhook.Verify(h.secret, r.Header.Get(webhook.Header), body, time.Now(), webhook.DefaultWindow); err != nil {
		h.refused.Add(1)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
	h.calls.Add(1)
	h.handling.Add(int64(time.Since(start)))
}

// snapshot reads the counters.
func (h *noopWebhook) snapshot() webhookCounts {
	return webhookCounts{calls: h.calls.Load(), refused: h.refused.Load(), handling: time.Duration(h.handling.Load())}
}

func (h *noopWebhook) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = h.srv.Shutdown(ctx)
	<-h.done
}

type webhookCounts struct {
	calls, refused int64
	handling       time.Duration
}

// WebhookStats are the triggers operation's view of its webhook, over the
// whole operation, warm-ups included.
type WebhookStats struct {
	// Invocations is how many signed events the webhook answered;
	// PerSignIn is that over the sign-ins attempted (2 when both triggers
	// ran for every one).
	Invocations int64   `json:"invocations"`
	PerSignIn   float64 `json:"invocations_per_sign_in"`
	// Refused is how many requests it refused (a bad signature): any is a
	// misconfigured secret.
	Refused int64 `json:"refused"`
	// HandlerMicros is the mean time the webhook's handler took, from its
	// first line to its last, in microseconds: the function's own time,
	// without the round trip.
	HandlerMicros float64 `json:"handler_us"`
}

func webhookStats(before, after webhookCounts, signIns int64) *WebhookStats {
	s := &WebhookStats{Invocations: after.calls - before.calls, Refused: after.refused - before.refused}
	if signIns > 0 {
		s.PerSignIn = round3(float64(s.Invocations) / float64(signIns))
	}
	if s.Invocations > 0 {
		s.HandlerMicros = round3(float64(after.handling-before.handling) / float64(time.Microsecond) / float64(s.Invocations))
	}
	return s
}

// errTriggerPool explains the usual reason the trigger pool cannot be made.
var errTriggerPool = errors.New("the server must be started with a functions file mapping the trigger ARN to the bench's webhook (docs/benchmarks.md)")

// prepareTriggers serves the webhook and makes the trigger pool, its app
// client and its users, as prepare does for the main pool.
func prepareTriggers(ctx context.Context, o Options, admin *adminClient, api idpClient, f *fixture, progress io.Writer) error {
	h, err := startWebhook(o.WebhookAddr, []byte(o.WebhookSecret))
	if err != nil {
		return err
	}
	f.webhook = h
	tf := &fixture{users: f.users, runID: f.runID}
	tf.poolID, err = admin.createPoolWithTriggers(ctx, "cognate-bench-triggers-"+f.runID, o.TriggerARN)
	var api2 *APIError
	if errors.As(err, &api2) && api2.Code == "InvalidParameterException" {
		return fmt.Errorf("creating the trigger pool: %w; %w", err, errTriggerPool)
	}
	if err != nil {
		return fmt.Errorf("creating the trigger pool: %w", err)
	}
	if tf.clientID, err = admin.createClient(ctx, tf.poolID, "cognate-bench-triggers", clientFlows); err != nil {
		return fmt.Errorf("creating the trigger pool's app client: %w", err)
	}
	fmt.Fprintf(progress, "bench: trigger pool %s, client %s, function %s at http://%s/\n", tf.poolID, tf.clientID, o.TriggerARN, o.WebhookAddr)
	err = forEach(ctx, o.Concurrency, o.Users, progress, "trigger pool users prepared", func(ctx context.Context, i int) error {
		_, err := prepareUser(ctx, admin, api, tf, userName(i), false)
		return err
	})
	if err != nil {
		return err
	}
	// One sign-in proves the server reaches the webhook before anything is
	// measured.
	before := h.snapshot()
	r, err := api.InitiateAuth(ctx, tf.clientID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": userName(0), "PASSWORD": benchPassword})
	if err = tokensIn(r, err); err != nil {
		return fmt.Errorf("signing in to the trigger pool: %w", err)
	}
	if got := h.snapshot().calls - before.calls; got != 2 {
		return fmt.Errorf("a sign-in to the trigger pool invoked the webhook %d times, want 2 (pre authentication, pre token generation)", got)
	}
	f.triggerPoolID, f.triggerClientID = tf.poolID, tf.clientID
	return nil
}

// createPoolWithTriggers makes a pool whose pre authentication and pre
// token generation (V1_0) functions are arn.
func (a *adminClient) createPoolWithTriggers(ctx context.Context, name, arn string) (string, error) {
	type lambdaConfig struct{ PreAuthentication, PreTokenGeneration string }
	in := struct {
		PoolName     string
		LambdaConfig lambdaConfig
	}{name, lambdaConfig{arn, arn}}
	var out struct{ UserPool struct{ Id string } }
	err := a.signed(ctx, "CreateUserPool", in, &out)
	return out.UserPool.Id, err
}
