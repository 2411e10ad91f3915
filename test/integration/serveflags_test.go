package integration

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"
)

// startServe runs `cognate serve` with extra flags on a free port of
// 127.0.0.1 and a fresh data directory, and returns once /health answers;
// the server stops when the test ends.
func startServe(t *testing.T, env []string, flags ...string) *process {
	t.Helper()
	return launchServe(t, "http", t.TempDir(), env, flags...)
}

// launchServe is startServe for a scheme (http, or https when the flags
// make the server serve TLS: /health is then asked without checking the
// certificate, which the tests check themselves) and a data directory.
func launchServe(t *testing.T, scheme, dataDir string, env []string, flags ...string) *process {
	t.Helper()
	bin := cognateBinary(t)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	p := &process{t: t, bin: bin, URL: scheme + "://" + listen, DataDir: dataDir, exited: make(chan struct{})}
	if scheme == "https" {
		p.health = &http.Client{Timeout: time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	}
	logFile, err := os.CreateTemp(t.TempDir(), "cognate-serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	p.log = logFile.Name()
	args := append([]string{"serve", "--listen", listen, "--log-level", "warn", "--data-dir", p.DataDir}, flags...)
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(cleanEnv("COGNATE_"), env...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	p.cmd.SysProcAttr = childProcAttr()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			p.dumpLog()
		}
	})
	if err := p.waitHealthy(60 * time.Second); err != nil {
		t.Fatalf("cognate serve %v: %v", flags, err)
	}
	return p
}
