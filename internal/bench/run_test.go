package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
)

const (
	testKeyID  = "AKIABENCHTEST0000001"
	testSecret = "bench-test-secret-00000000000000000000000"
)

// startServer runs a Cognate on SQLite in this process, its configuration
// changed by edits.
func startServer(t *testing.T, edits ...func(*config.Config)) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	dir := t.TempDir()
	cfg := config.Config{
		Listen: ts.Listener.Addr().String(), DataDir: dir, Region: "us-east-1", PublicURL: "http://" + ts.Listener.Addr().String(),
		MasterKeyFile: dir + "/master.key", LogLevel: "error", AdminAccessKeyID: testKeyID, AdminSecretAccessKey: testSecret,
	}
	for _, edit := range edits {
		edit(&cfg)
	}
	srv, err := server.New(context.Background(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts.URL
}

// TestRunEveryOperation runs every operation briefly and checks that each completed without errors and that the report is
// whole. It asserts no speed.
func TestRunEveryOperation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	url := startServer(t)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 2, Duration: 300 * time.Millisecond,
		Warmup: 50 * time.Millisecond, Rounds: 2, Ops: AllOps, Users: 3, Sessions: 2,
		FloorDuration: 50 * time.Millisecond, AdminKeyID: testKeyID, AdminSecret: testSecret, DomainSuffix: DefaultDomainSuffix}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Operations) != len(AllOps) {
		t.Fatalf("%d operations reported, want %d", len(r.Operations), len(AllOps))
	}
	for _, s := range r.Operations {
		if s.Errors != 0 || s.Count == 0 {
			t.Errorf("%s: %d done, %d errors (first: %s)", s.Op, s.Count, s.Errors, s.FirstError)
		}
		if s.Floor == nil || s.Floor.Throughput <= 0 || s.Floor.Min <= 0 || s.Floor.Max < s.Floor.Min || s.Floor.ServerCrypto <= 0 {
			t.Errorf("%s: floor %+v", s.Op, s.Floor)
		}
		if s.P50 <= 0 || s.P50 > s.P99 || s.P99 > s.Max {
			t.Errorf("%s: latency %+v", s.Op, s.Latency)
		}
	}
	if r.Setup.UsersCreated != 3 || r.Server.PID == 0 {
		t.Errorf("setup %+v, server %+v", r.Setup, r.Server)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back["poolId"] != r.PoolID {
		t.Errorf("report JSON does not read back: %v", err)
	}

	// A second run on the same pool finds the users (signed AdminGetUser).
	o.PoolID, o.ClientID, o.Ops = r.PoolID, r.ClientID, []string{OpPassword}
	r2, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Setup.UsersFound != 3 || r2.Setup.UsersCreated != 0 || r2.Operations[0].Errors != 0 {
		t.Errorf("second run: setup %+v, %+v", r2.Setup, r2.Operations[0])
	}
	o.ReuseUsers = true
	r3, err := Run(ctx, o, io.Discard)
	if err != nil || r3.Setup.UsersFound != 3 || r3.Operations[0].Errors != 0 {
		t.Errorf("run reusing users: %v, setup %+v", err, r3.Setup)
	}

	// A wrong administrator key is refused by the server's SigV4 check.
	o.PoolID, o.ClientID, o.ReuseUsers, o.AdminSecret = "", "", false, "not-the-secret"
	if _, err := Run(ctx, o, io.Discard); err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
		t.Errorf("run with a wrong secret: %v, want InvalidSignatureException", err)
	}
}
