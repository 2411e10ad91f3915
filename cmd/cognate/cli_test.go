package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// runSplit executes the command line as main does and returns its exit
// status, stdout and stderr apart.
func runSplit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandLineErrorsPointAtHelp(t *testing.T) {
	cases := []struct {
		args     []string
		want     string // in the error
		wantHelp string
	}{
		{[]string{"serv"}, `unknown command "serv"`, "Run 'cognate --help' for usage."},
		{[]string{"serve", "--lisen", "127.0.0.1:1"}, "unknown flag: --lisen", "Run 'cognate serve --help' for usage."},
		{[]string{"messages", "extra"}, `unknown command "extra"`, "Run 'cognate messages --help' for usage."},
		{[]string{"messages", "--code=maybe"}, "invalid argument", "Run 'cognate messages --help' for usage."},
		{[]string{"keys", "rotate"}, "--pool is required", "Run 'cognate keys rotate --help' for usage."},
		{[]string{"keys", "sender-key"}, "--kms-key-id is required", "Run 'cognate keys sender-key --help' for usage."},
	}
	for _, c := range cases {
		code, stdout, stderr := runSplit(t, c.args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, c.want) || !strings.HasSuffix(stderr, c.wantHelp+"\n") {
			t.Errorf("cognate %s: exit %d, stdout %q, stderr %q; want exit 1 with %q and then %q",
				strings.Join(c.args, " "), code, stdout, stderr, c.want, c.wantHelp)
		}
	}
	// An error of a command that ran is not about the command line.
	code, _, stderr := runSplit(t, "messages", "--data-dir", t.TempDir()+"/none")
	if code != 1 || strings.Contains(stderr, "--help") {
		t.Errorf("a failed command: exit %d, stderr %q; want exit 1 without pointing at --help", code, stderr)
	}
}

func TestMessagesSaysWhenThereAreNone(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir).Close()
	for _, args := range [][]string{
		{"messages", "--data-dir", dir},
		{"messages", "--data-dir", dir, "--pool", "us-east-1_aaaaaaaaa", "--user", "alice"},
	} {
		code, stdout, stderr := runSplit(t, args...)
		if code != 0 || stdout != "" || !strings.HasPrefix(stderr, "cognate messages: no messages in the outbox") {
			t.Errorf("%v on an empty outbox: exit %d, stdout %q, stderr %q; want exit 0, nothing on stdout, and why on stderr",
				args, code, stdout, stderr)
		}
	}
	_, _, stderr := runSplit(t, "messages", "--data-dir", dir, "--pool", "us-east-1_aaaaaaaaa", "--user", "alice")
	if !strings.Contains(stderr, "for pool us-east-1_aaaaaaaaa to alice") {
		t.Errorf("stderr %q does not say what was looked at", stderr)
	}
}

func TestMessagesCode(t *testing.T) {
	dir := t.TempDir()
	st := seed(t, dir)
	now := time.Now()
	for _, m := range []store.Message{
		{PoolID: "us-east-1_aaaaaaaaa", Username: "alice", Channel: "EMAIL", Purpose: "SignUp", Body: "code 111111", Code: "111111", CreatedAt: now},
		{PoolID: "us-east-1_aaaaaaaaa", Username: "alice", Channel: "EMAIL", Purpose: "ResendCode", Body: "code 333333", Code: "333333", CreatedAt: now},
		{PoolID: "us-east-1_aaaaaaaaa", Username: "alice", Channel: "EMAIL", Purpose: "Notice", Body: "no code here", CreatedAt: now},
		{PoolID: "us-east-1_aaaaaaaaa", Username: "bob", Channel: "EMAIL", Purpose: "SignUp", Body: "code 222222", Code: "222222", CreatedAt: now},
	} {
		if _, err := st.AddMessage(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, stdout, stderr := runSplit(t, "messages", "--data-dir", dir, "--pool", "us-east-1_aaaaaaaaa", "--user", "alice", "--code")
	if code != 0 || stdout != "333333\n" {
		t.Errorf("--code: exit %d, stdout %q, stderr %q; want alice's newest code", code, stdout, stderr)
	}
	code, stdout, stderr = runSplit(t, "messages", "--data-dir", dir, "--user", "carol", "--code")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "no message with a code in the outbox to carol") {
		t.Errorf("--code without a code: exit %d, stdout %q, stderr %q; want a failure saying so", code, stdout, stderr)
	}
}
