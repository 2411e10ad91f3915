// Package pgtest gives tests throw-away PostgreSQL databases.
//
// URL returns the address of a new, empty database. The databases live in
// one cluster per test binary, started on first use from the PostgreSQL
// binaries installed on the machine (initdb and pg_ctl, looked for in
// /usr/lib/postgresql/15/bin, then other versions, then $PATH), listening on
// a free port of 127.0.0.1, with its files in a temporary directory and
// fsync off. Main stops and removes it when the tests end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// Should the test binary die without running Main to the end, a watchdog
// process stops the cluster and removes its files once the binary is gone.
//
// With COGNATE_TEST_DATABASE_URL set, databases are made on that server
// instead (its user needs CREATEDB) and dropped when each test ends.
//
// Without PostgreSQL binaries URL skips the test, or fails it when the CI
// variable is set, so that CI cannot pass without having run the tests.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvURL names the variable that points the tests at an existing server.
const EnvURL = "COGNATE_TEST_DATABASE_URL"

var (
	mu      sync.Mutex
	server  *cluster // the started cluster, or nil
	failure error    // why the cluster could not start
	skip    string   // why there is no cluster to start
	admin   *sql.DB  // connection to the server's "postgres" database
	counter atomic.Int64
)

// Main runs the tests, then stops the cluster, if one was started, and
// exits with the tests' status. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops and removes the cluster, if one was started. Main calls it.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if admin != nil {
		admin.Close()
		admin = nil
	}
	if server != nil {
		server.stop()
		server = nil
	}
}

// URL returns the connection URL of a new, empty database, owned by the
// test: with an external server it is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base, external, err := serverURL()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("pgtest: %s, and CI is set", skip)
		}
		t.Skipf("pgtest: %s; set %s to use a running server", skip, EnvURL)
	}
	name := fmt.Sprintf("cognate_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: creating database: %v", err)
	}
	if external {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				t.Logf("pgtest: dropping database %s: %v", name, err)
			}
		})
	}
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// serverURL returns the URL of the server's "postgres" database, starting
// the cluster on first use. It returns "" when there is nothing to start.
func serverURL() (base string, external bool, err error) {
	mu.Lock()
	defer mu.Unlock()
	if env := os.Getenv(EnvURL); env != "" {
		if admin == nil {
			if admin, err = connect(env); err != nil {
				return "", true, fmt.Errorf("connecting to %s: %w", EnvURL, err)
			}
		}
		return env, true, nil
	}
	if server == nil && failure == nil && skip == "" {
		server, skip, failure = start()
		if server != nil {
			if admin, failure = connect(server.url("postgres")); failure != nil {
				server.stop()
				server = nil
			}
		}
	}
	switch {
	case failure != nil:
		return "", false, failure
	case server == nil:
		return "", false, nil
	}
	return server.url("postgres"), false, nil
}

func connect(dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// withDatabase returns dsn, a URL or key=value string, naming database
// name instead.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parsing %s: %w", EnvURL, err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil // the last setting wins
}

// A cluster is a PostgreSQL server this package started.
type cluster struct {
	bin    string // directory of initdb, pg_ctl
	dir    string // temporary directory: data/, the socket and the log
	port   int
	asUser string // run the binaries as this user ("" for ourselves)
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// findBin returns the directory holding initdb and pg_ctl, or "".
func findBin() string {
	dirs := []string{"/usr/lib/postgresql/15/bin"}
	more, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	dirs = append(dirs, more...)
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "pg_ctl")) {
			return d
		}
	}
	return ""
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// start initialises and starts a cluster. It returns why it did not when
// PostgreSQL is not installed (skip) or failed to start (err).
func start() (c *cluster, skip string, err error) {
	bin := findBin()
	if bin == "" {
		return nil, "PostgreSQL binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or $PATH", nil
	}
	c = &cluster{bin: bin}
	var owner *user.User
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: run it as postgres.
		if owner, err = user.Lookup("postgres"); err != nil {
			return nil, "", fmt.Errorf("running as root needs a postgres user to run PostgreSQL: %w", err)
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, "", fmt.Errorf("running as root needs runuser: %w", err)
		}
		c.asUser = "postgres"
	}
	if c.dir, err = os.MkdirTemp(tempBase(), "cognate-pgtest-"); err != nil {
		return nil, "", err
	}
	if owner != nil {
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(c.dir, uid, gid); err != nil {
			os.RemoveAll(c.dir)
			return nil, "", err
		}
	}
	if err := c.initdb(); err != nil {
		os.RemoveAll(c.dir)
		return nil, "", err
	}
	// A free port may be taken between our look and the server's bind:
	// try a few.
	for range 5 {
		if c.port, err = freePort(); err != nil {
			break
		}
		if err = c.pgctl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "log"), "-o", c.serverOptions()); err == nil {
			c.watch()
			return c, "", nil
		}
	}
	os.RemoveAll(c.dir)
	return nil, "", fmt.Errorf("starting PostgreSQL: %w", err)
}

// tempBase returns a directory for the cluster that its user can reach:
// when running as root, every parent must be searchable by others, which
// t.TempDir and some $TMPDIR are not.
func tempBase() string {
	dir := os.TempDir()
	if os.Geteuid() != 0 {
		return dir
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return dir
		}
	}
}

func (c *cluster) serverOptions() string {
	opts := []string{
		"-c listen_addresses=127.0.0.1",
		"-p " + strconv.Itoa(c.port),
		"-k " + c.dir,
		"-c fsync=off",
		"-c synchronous_commit=off",
		"-c full_page_writes=off",
		"-c max_connections=300",
		"-c shared_buffers=64MB",
	}
	return strings.Join(opts, " ")
}

func (c *cluster) initdb() error {
	return c.run(filepath.Join(c.bin, "initdb"), "-D", filepath.Join(c.dir, "data"),
		"-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
}

func (c *cluster) pgctl(args ...string) error {
	return c.run(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", filepath.Join(c.dir, "data")}, args...)...)
}

// run runs a PostgreSQL binary as the cluster's user. Its output goes to a
// file, not a pipe: the server pg_ctl leaves running would hold a pipe
// open, and reading it would never end.
func (c *cluster) run(name string, args ...string) error {
	if c.asUser != "" {
		args = append([]string{"-u", c.asUser, "--", name}, args...)
		name = "runuser"
	}
	out, err := os.CreateTemp("", "cognate-pgtest-out-")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Dir = c.dir
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		if log, _ := os.ReadFile(filepath.Join(c.dir, "log")); len(log) > 0 {
			b = append(b, "\nserver log:\n"...)
			b = append(b, log...)
		}
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, b)
	}
	return nil
}

// stop stops the server at once (nothing in it needs to survive) and
// removes its files.
func (c *cluster) stop() {
	_ = c.pgctl("stop", "-m", "immediate", "-w")
	os.RemoveAll(c.dir)
}

// watch starts a process, in a session of its own so that a Ctrl-C of the
// tests does not stop it, that waits for this process to end and then does
// what stop does: a test binary killed on timeout leaves nothing behind.
func (c *cluster) watch() {
	pgctl := fmt.Sprintf("%q -D %q stop -m immediate", filepath.Join(c.bin, "pg_ctl"), filepath.Join(c.dir, "data"))
	if c.asUser != "" {
		pgctl = "runuser -u " + c.asUser + " -- " + pgctl
	}
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; if [ -d %q ]; then %s >/dev/null 2>&1; rm -rf %q; fi",
		os.Getpid(), c.dir, pgctl, c.dir)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err == nil {
		go cmd.Wait() //nolint:errcheck // reaps it should it end first
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
