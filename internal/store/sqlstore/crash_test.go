package sqlstore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// The crash test runs this test binary again as a child that writes users
// until it is killed. These variables tell the child what to do.
const (
	crashDriverEnv = "COGNATE_SQLSTORE_CRASH_DRIVER"
	crashDSNEnv    = "COGNATE_SQLSTORE_CRASH_DSN"
	crashPrefixEnv = "COGNATE_SQLSTORE_CRASH_PREFIX"
)

// crashWriters is how many goroutines of the child write at once.
const crashWriters = 4

// TestCrashChild is the child of TestCrashDurability; on its own it skips.
// It creates users on several goroutines, printing "ACK <username>" once
// CreateUser has returned, until it is killed.
func TestCrashChild(t *testing.T) {
	driver := os.Getenv(crashDriverEnv)
	if driver == "" {
		t.Skip("the child process of TestCrashDurability")
	}
	ctx := context.Background()
	s, err := Open(ctx, Config{Driver: driver, DSN: os.Getenv(crashDSNEnv), MasterKey: testKey})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	prefix := os.Getenv(crashPrefixEnv)
	var mu sync.Mutex // one whole line per write
	for w := range crashWriters {
		go func() {
			for i := 0; ; i++ {
				name := fmt.Sprintf("%s-w%d-%06d", prefix, w, i)
				if err := s.CreateUser(ctx, testUser("p", name, "sub-"+name)); err != nil {
					fmt.Println("ERR", err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, "ACK", name) // os.Stdout is unbuffered
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Minute) // the parent kills it long before
	fmt.Println("ERR not killed")
	os.Exit(4)
}

// TestCrashDurability kills a writing process with SIGKILL mid-burst,
// several times, and checks that every user whose creation was
// acknowledged is there when the store is opened again. On SQLite this is
// the test of the journal settings; on PostgreSQL it checks that nothing is
// acknowledged before the server committed it.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	forEngine(t, func(t *testing.T, e engine) {
		cfg := e.config(t)
		s := mustOpen(t, cfg)
		must(t, s.CreatePool(t.Context(), store.Pool{ID: "p"}))
		must(t, s.Close())

		var acked []string
		const rounds, killAfter = 3, 100
		for round := range rounds {
			acked = append(acked, runUntilKilled(t, cfg, fmt.Sprintf("r%d", round), killAfter)...)
		}

		s = mustOpen(t, cfg)
		for _, name := range acked {
			if _, err := s.GetUserByKey(t.Context(), "p", store.UserKey{Kind: store.KeyUsername, Value: name}); err != nil {
				t.Errorf("acknowledged user %s: %v", name, err)
			}
		}
		n, err := s.CountUsers(t.Context(), "p")
		must(t, err)
		t.Logf("%d users acknowledged over %d kills, %d stored", len(acked), rounds, n)
		if n < int64(len(acked)) {
			t.Errorf("%d users stored, %d acknowledged", n, len(acked))
		}
		if cfg.Driver == "sqlite" {
			var check string
			must(t, s.r.QueryRow(`PRAGMA integrity_check`).Scan(&check))
			if check != "ok" {
				t.Errorf("integrity_check: %s", check)
			}
		}
	})
}

// runUntilKilled starts the child, kills it once it has acknowledged
// killAfter users, and returns every user it acknowledged.
func runUntilKilled(t *testing.T, cfg Config, prefix string, killAfter int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		crashDriverEnv+"="+cfg.Driver, crashDSNEnv+"="+cfg.DSN, crashPrefixEnv+"="+prefix)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()

	var acked []string
	killed := false
	lines := bufio.NewScanner(out)
	for lines.Scan() { // after the kill, until the pipe is drained
		line := lines.Text()
		if strings.HasPrefix(line, "ERR") {
			t.Errorf("child: %s", line)
		}
		name, ok := strings.CutPrefix(line, "ACK ")
		if !ok {
			continue
		}
		acked = append(acked, name)
		if len(acked) == killAfter && !killed {
			killed = true
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acknowledgements (%v): %s", len(acked), err, stderr.String())
	}
	return acked
}
