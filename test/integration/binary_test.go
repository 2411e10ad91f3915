package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// The interop tests run the real cognate binary, built once per test run
// into buildDir, which TestMain removes.
var (
	buildOnce sync.Once
	buildDir  string
	buildPath string
	buildErr  error
)

// cognateBinary returns the path of the cognate binary, building it on
// first use.
func cognateBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "cognate-interop-bin-"); buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "cognate")
		cmd := exec.Command("go", "build", "-o", buildPath, "github.com/cognate-auth/cognate/cmd/cognate")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/cognate: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func removeBinary() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// A process is a running `cognate serve`, a child of the test.
type process struct {
	t   *testing.T
	bin string
	// URL is the server's base URL, http://127.0.0.1:<port>.
	URL         string
	DataDir     string
	DatabaseURL string
	Admin       *cip.Client // signs with the administrator key
	Anon        *cip.Client // sends no credentials, like a browser app

	cmd    *exec.Cmd
	health *http.Client  // asks /health; nil for a plain one
	log    string        // file receiving the server's output
	exited chan struct{} // closed when the process has ended
	err    error         // its exit status, once exited is closed
}

// startBinary runs `cognate serve` on a free port of 127.0.0.1 with the
// given data directory and, when databaseURL is set, PostgreSQL; it returns
// once /health answers, and stops the server when the test ends.
func startBinary(t *testing.T, dataDir, databaseURL string) *process {
	t.Helper()
	bin := cognateBinary(t)
	var p *process
	var err error
	// A free port may be taken between our look and the server's bind.
	for range 3 {
		if p, err = tryStart(t, bin, dataDir, databaseURL); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			p.dumpLog()
		}
	})
	creds := credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")
	p.Admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: creds})
	p.Anon = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: aws.AnonymousCredentials{}})
	return p
}

func tryStart(t *testing.T, bin, dataDir, databaseURL string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	p := &process{t: t, bin: bin, URL: "http://" + listen, DataDir: dataDir, DatabaseURL: databaseURL,
		exited: make(chan struct{})}
	logFile, err := os.CreateTemp(t.TempDir(), "cognate-serve-*.log")
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	p.log = logFile.Name()
	p.cmd = exec.Command(bin, append([]string{"serve", "--listen", listen, "--log-level", "warn"}, p.storeFlags()...)...)
	p.cmd.Env = append(cleanEnv("COGNATE_"), "COGNATE_ADMIN_ACCESS_KEY_ID="+adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY="+adminSecret)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	p.cmd.SysProcAttr = childProcAttr()
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitHealthy(30 * time.Second); err != nil {
		p.kill()
		log, _ := os.ReadFile(p.log)
		return nil, fmt.Errorf("cognate serve on %s: %w\n%s", listen, err, log)
	}
	return p, nil
}

// storeFlags are the flags that make any cognate subcommand find this
// server's store.
func (p *process) storeFlags() []string {
	flags := []string{"--data-dir", p.DataDir}
	if p.DatabaseURL != "" {
		flags = append(flags, "--database", p.DatabaseURL)
	}
	return flags
}

// storeEnv is storeFlags as environment variables.
func (p *process) storeEnv() []string {
	env := []string{"COGNATE_DATA_DIR=" + p.DataDir}
	if p.DatabaseURL != "" {
		env = append(env, "COGNATE_DATABASE_URL="+p.DatabaseURL)
	}
	return env
}

func (p *process) waitHealthy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := p.health
	if client == nil {
		client = &http.Client{Timeout: time.Second}
	}
	for {
		resp, err := client.Get(p.URL + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("/health answered %s", resp.Status)
		}
		select {
		case <-p.exited:
			return fmt.Errorf("exited before it was healthy: %v", p.err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not healthy after %s: %v", timeout, err)
		}
	}
}

// stop asks the server to shut down, as Ctrl-C would, and expects it to
// exit cleanly; it kills it after 10 seconds.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		if p.err != nil {
			p.t.Errorf("cognate serve exited with %v after SIGTERM", p.err)
		}
	case <-time.After(10 * time.Second):
		p.t.Errorf("cognate serve still running 10s after SIGTERM; killing it")
		p.kill()
	}
}

// kill ends the server with SIGKILL, as a crash would, and waits for it.
func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

func (p *process) dumpLog() {
	if b, err := os.ReadFile(p.log); err == nil && len(b) > 0 {
		p.t.Logf("cognate serve output:\n%s", b)
	}
}

// outboxLine is one line printed by `cognate messages`.
type outboxLine struct {
	PoolID   string `json:"poolId"`
	Username string `json:"username"`
	Purpose  string `json:"purpose"`
	Code     string `json:"code"`
}

// messages runs `cognate messages` with the server's store flags, while the
// server runs, and returns what it printed, oldest first. An empty user
// lists the whole pool.
func (p *process) messages(t *testing.T, poolID, username string) []outboxLine {
	t.Helper()
	args := append([]string{"messages", "--pool", poolID}, p.storeFlags()...)
	if username != "" {
		args = append(args, "--user", username)
	}
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, p.bin, args...)
	cmd.Env = cleanEnv("COGNATE_")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cognate messages: %v\n%s", err, stderr.Bytes())
	}
	var lines []outboxLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var l outboxLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("cognate messages printed %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return lines
}

// lastCode returns the code of the newest message to a user, read with
// `cognate messages`.
func (p *process) lastCode(t *testing.T, poolID, username string) string {
	t.Helper()
	msgs := p.messages(t, poolID, username)
	if len(msgs) == 0 || msgs[len(msgs)-1].Code == "" {
		t.Fatalf("cognate messages: no code for %s in %s (%+v)", username, poolID, msgs)
	}
	return msgs[len(msgs)-1].Code
}

// cleanEnv returns the environment without the variables starting with any
// of the prefixes, so that the machine's settings cannot leak into a child.
func cleanEnv(prefixes ...string) []string {
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tool returns the path of an external program the interop tests drive. When
// it is missing the test is skipped, or fails when CI is set, so that CI
// cannot pass without having run it.
func tool(t *testing.T, name, why string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	missing(t, fmt.Sprintf("%s not found on PATH (%s)", name, why))
	return ""
}

// missing skips the test for want of something, or fails it in CI.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI is set", what)
	}
	t.Skipf("skipped: %s", what)
}

// exitCode returns the exit status of a finished command's error, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}
