package integration

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSlowClientsAreCutOff holds connections to the real binary the way a
// slow or stalled client does — a body sent a byte at a time, headers that
// never end, a kept-alive connection left idle — and checks that the server
// closes each once its timeout (set short here by flag) has passed.
func TestSlowClientsAreCutOff(t *testing.T) {
	const timeout = time.Second
	p := startServe(t, nil, "--read-header-timeout", timeout.String(), "--read-timeout", timeout.String(),
		"--idle-timeout", timeout.String())
	addr := strings.TrimPrefix(p.URL, "http://")

	t.Run("body", func(t *testing.T) {
		t.Parallel()
		conn := dial(t, addr)
		head := "POST / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-amz-json-1.1\r\n" +
			"X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: 4096\r\n\r\n{"
		if _, err := io.WriteString(conn, head); err != nil {
			t.Fatal(err)
		}
		go trickle(conn, `"ClientId":"x"`)
		closedWithin(t, conn, timeout)
	})
	t.Run("headers", func(t *testing.T) {
		t.Parallel()
		conn := dial(t, addr)
		if _, err := io.WriteString(conn, "GET /health HTTP/1.1\r\nHost: "+addr+"\r\n"); err != nil {
			t.Fatal(err)
		}
		go trickle(conn, "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
		closedWithin(t, conn, timeout)
	})
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		conn := dial(t, addr)
		if _, err := io.WriteString(conn, "GET /health HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("/health: %s, close %v; want 200 on a kept-alive connection", resp.Status, resp.Close)
		}
		closedWithin(t, conn, timeout)
	})
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// trickle writes s a byte every 100ms, as long as the connection takes it,
// for at most 30 seconds.
func trickle(conn net.Conn, s string) {
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
		for i := range len(s) {
			time.Sleep(100 * time.Millisecond)
			if _, err := conn.Write([]byte{s[i]}); err != nil {
				return
			}
		}
	}
}

// closedWithin reads whatever the server answers and fails unless it closes
// the connection soon after timeout.
func closedWithin(t *testing.T, conn net.Conn, timeout time.Duration) {
	t.Helper()
	start := time.Now()
	limit := timeout + 5*time.Second // slack for a loaded machine
	conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	held := time.Since(start)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server still held the connection after %s (its timeout is %s)", held.Round(time.Millisecond), timeout)
	}
	// EOF, or a reset when unread bytes were pending: closed either way.
	t.Logf("closed by the server after %s (%v)", held.Round(time.Millisecond), err)
}
