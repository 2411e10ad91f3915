package integration

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestREADMEWalkthrough runs the README's walkthrough as a newcomer would
// paste it: the block marked <!-- walkthrough:server --> in the background,
// then every block marked <!-- walkthrough:client -->, in order, with bash
// at the repository's root. Only the environment differs from a newcomer's:
// a free port and a fresh data directory (through the settings' environment
// twins), and no AWS configuration of the machine's.
func TestREADMEWalkthrough(t *testing.T) {
	tool(t, "aws", "the README's walkthrough drives it")
	tool(t, "bash", "the README's walkthrough is a shell session")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := walkthroughBlocks(t, readme)
	if len(blocks["server"]) != 1 || len(blocks["client"]) == 0 {
		t.Fatalf("README.md has %d walkthrough:server and %d walkthrough:client blocks; want one server block and some client blocks",
			len(blocks["server"]), len(blocks["client"]))
	}

	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv("AWS_", "COGNATE_"),
		fmt.Sprintf("COGNATE_LISTEN=127.0.0.1:%d", port), "COGNATE_DATA_DIR="+filepath.Join(dir, "cognate-data"),
		"AWS_CONFIG_FILE="+empty, "AWS_SHARED_CREDENTIALS_FILE="+empty, "AWS_PAGER=")

	server := startWalkthroughServer(t, root, env, blocks["server"][0])
	if err := waitHealthy(fmt.Sprintf("http://127.0.0.1:%d", port), server, 3*time.Minute); err != nil {
		t.Fatalf("the walkthrough's server: %v\n%s", err, server.output())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	client := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", strings.Join(blocks["client"], "\n"))
	client.Dir, client.Env = root, env
	var stdout, stderr bytes.Buffer
	client.Stdout, client.Stderr = &stdout, &stderr
	if err := client.Run(); err != nil {
		t.Fatalf("the walkthrough's commands: %v\nstdout:\n%s\nstderr:\n%s\nserver:\n%s", err, stdout.Bytes(), stderr.Bytes(), server.output())
	}
	// The last command is get-user, which prints the user as JSON.
	out := stdout.String()
	for _, want := range []string{`"Username": "alice"`, `"Value": "alice@example.com"`, `"Name": "email_verified"`, `"Value": "true"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("the walkthrough printed no %s:\n%s\nstderr:\n%s", want, out, stderr.Bytes())
		}
	}
}

// walkthroughBlocks returns the fenced blocks of a Markdown document that
// follow a <!-- walkthrough:NAME --> line, by NAME, in order.
func walkthroughBlocks(t *testing.T, md []byte) map[string][]string {
	t.Helper()
	blocks := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(md))
	name := ""
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "<!-- walkthrough:"); ok {
			name = strings.TrimSpace(strings.TrimSuffix(rest, "-->"))
			if !sc.Scan() || !strings.HasPrefix(sc.Text(), "```") {
				t.Fatalf("README.md:%d: a walkthrough marker must be followed by a fenced block", n)
			}
			n++
			var body []string
			for sc.Scan() {
				n++
				if strings.HasPrefix(sc.Text(), "```") {
					break
				}
				body = append(body, sc.Text())
			}
			blocks[name] = append(blocks[name], strings.Join(body, "\n")+"\n")
		}
	}
	return blocks
}

// walkthroughServer is the server block running in bash, in its own process
// group so that stopping it stops go run and the server it started.
type walkthroughServer struct {
	cmd    *exec.Cmd
	out    *os.File
	exited chan struct{}
	err    error
}

func startWalkthroughServer(t *testing.T, root string, env []string, block string) *walkthroughServer {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "walkthrough-server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	s := &walkthroughServer{cmd: exec.Command("bash", "-c", block), out: out, exited: make(chan struct{})}
	s.cmd.Dir, s.cmd.Env = root, env
	s.cmd.Stdout, s.cmd.Stderr = out, out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		pgid := s.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(15 * time.Second):
			t.Errorf("the walkthrough's server still running 15s after SIGTERM; killing it")
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-s.exited
		}
		// Wait for the server itself, which may outlive bash and go run.
		for deadline := time.Now().Add(15 * time.Second); syscall.Kill(-pgid, 0) == nil; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				break
			}
		}
		out.Close()
	})
	return s
}

func (s *walkthroughServer) output() string {
	b, _ := os.ReadFile(s.out.Name())
	return string(b)
}

// waitHealthy waits until url/health answers 200, or the server exits.
func waitHealthy(url string, s *walkthroughServer, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(timeout); ; {
		resp, err := client.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("exited before it was healthy: %v", s.err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not healthy after %s", timeout)
		}
	}
}
