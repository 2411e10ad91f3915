package main

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/adminkey"
	"github.com/cognate-auth/cognate/internal/store"
)

// TestFailedStartMakesNoKey starts serve on an address that is taken: it
// must fail before it generates, and prints, an administrator key that the
// next start would not show.
func TestFailedStartMakesNoKey(t *testing.T) {
	t.Setenv("COGNATE_ADMIN_ACCESS_KEY_ID", "")
	t.Setenv("COGNATE_ADMIN_SECRET_ACCESS_KEY", "")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir() + "/data"
	code, stdout, stderr := runSplit(t, "serve", "--data-dir", dir, "--listen", busy.Addr().String())
	if code != 1 || !strings.Contains(stderr, "address already in use") {
		t.Fatalf("serve on a busy address: exit %d, stderr %q", code, stderr)
	}
	if out := stdout + stderr; strings.Contains(out, "AWS_SECRET_ACCESS_KEY") || strings.Contains(out, "generated") {
		t.Fatalf("a start that could not listen printed a key:\n%s", out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a start that could not listen created its store in %s (%v)", dir, err)
	}
}

func TestAdminKey(t *testing.T) {
	t.Setenv("COGNATE_ADMIN_ACCESS_KEY_ID", "")
	t.Setenv("COGNATE_ADMIN_SECRET_ACCESS_KEY", "")
	dir := t.TempDir()
	st := seed(t, dir)
	ctx := context.Background()
	first, err := adminkey.New(st, "", "").Bootstrap(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	exports := func(k store.AccessKey) string {
		return "export AWS_ACCESS_KEY_ID=" + k.ID + "\nexport AWS_SECRET_ACCESS_KEY=" + k.Secret +
			"\nexport AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1" +
			"\nexport AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:9339 AWS_ENDPOINT_URL_COGNITO_IDENTITY=http://127.0.0.1:9339" +
			"\nexport AWS_ENDPOINT_URL_IAM=http://127.0.0.1:9339 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9339\n"
	}
	flags := []string{"--data-dir", dir, "--region", "eu-west-1", "--listen", "127.0.0.1:9339"}

	code, stdout, stderr := runSplit(t, append([]string{"admin-key"}, flags...)...)
	if code != 0 || stdout != exports(*first) || stderr != "" {
		t.Fatalf("admin-key: exit %d, stdout %q, stderr %q; want\n%s", code, stdout, stderr, exports(*first))
	}

	code, stdout, stderr = runSplit(t, append([]string{"admin-key", "--reset"}, flags...)...)
	if code != 0 || !strings.Contains(stderr, "replaced the administrator key") {
		t.Fatalf("admin-key --reset: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st = seed(t, dir)
	second, err := adminkey.Stored(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetAccessKey(ctx, first.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replaced key is still stored: %v", err)
	}
	st.Close()
	if second.ID == first.ID || stdout != exports(second) {
		t.Fatalf("admin-key --reset printed %q; want the new key %s", stdout, second.ID)
	}
	if _, again, _ := runSplit(t, append([]string{"admin-key"}, flags...)...); again != stdout {
		t.Fatalf("admin-key after --reset printed %q, want %q", again, stdout)
	}
}

func TestAdminKeyWithoutKey(t *testing.T) {
	t.Setenv("COGNATE_ADMIN_ACCESS_KEY_ID", "")
	t.Setenv("COGNATE_ADMIN_SECRET_ACCESS_KEY", "")
	dir := t.TempDir()
	seed(t, dir).Close()
	code, stdout, stderr := runSplit(t, "admin-key", "--data-dir", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "no administrator key is stored") || !strings.Contains(stderr, "--reset") {
		t.Fatalf("admin-key without a key: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := runSplit(t, "admin-key", "--reset=maybe"); code != 1 || !strings.HasSuffix(stderr, "Run 'cognate admin-key --help' for usage.\n") {
		t.Errorf("admin-key --reset=maybe: exit %d, stderr %q", code, stderr)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"AKIAABC234":            "AKIAABC234",
		"a+b/c=":                "a+b/c=",
		"http://127.0.0.1:9229": "http://127.0.0.1:9229",
		"it's $HOME":            `'it'\''s $HOME'`,
		"":                      "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
