package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/secretbox"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/tokens"
	"github.com/cognate-auth/cognate/internal/userpool"
	"github.com/cognate-auth/cognate/sendercode"
)

// run executes the command line in-process and returns its output.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := rootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// seed opens the store a command with --data-dir dir would open.
func seed(t *testing.T, dir string) store.Store {
	t.Helper()
	cfg := config.Config{DataDir: dir, MasterKeyFile: dir + "/master.key"}
	st, _, err := server.OpenStore(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMessagesPrintsTheOutbox(t *testing.T) {
	dir := t.TempDir()
	st := seed(t, dir)
	ctx := context.Background()
	now := time.Now()
	for _, m := range []store.Message{
		{PoolID: "us-east-1_aaaaaaaaa", Username: "alice", Destination: "alice@example.com", Channel: "EMAIL", Purpose: "SignUp", Body: "code 111111", Code: "111111", CreatedAt: now},
		{PoolID: "us-east-1_aaaaaaaaa", Username: "bob", Channel: "EMAIL", Purpose: "SignUp", Body: "code 222222", Code: "222222", CreatedAt: now},
		{PoolID: "us-east-1_aaaaaaaaa", Username: "alice", Channel: "EMAIL", Purpose: "ResendCode", Body: "code 333333", Code: "333333", CreatedAt: now},
	} {
		if _, err := st.AddMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	out, err := run(t, "messages", "--data-dir", dir, "--pool", "us-east-1_aaaaaaaaa", "--user", "alice")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var codes []string
	for _, l := range lines {
		var m struct{ Code, Username string }
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		codes = append(codes, m.Code)
	}
	if strings.Join(codes, ",") != "111111,333333" {
		t.Fatalf("codes = %v, want alice's, oldest first", codes)
	}
	out, err = run(t, "messages", "--data-dir", dir, "--user", "ALICE@example.com")
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, "111111") {
		t.Fatalf("by email: %q, %v", out, err)
	}
}

func TestToolsDoNotCreateAStore(t *testing.T) {
	dir := t.TempDir() + "/nothing-here"
	for _, args := range [][]string{{"messages"}, {"keys", "rotate", "--pool", "us-east-1_aaaaaaaaa"},
		{"keys", "sender-key", "--kms-key-id", "arn:aws:kms:us-east-1:000000000000:key/k"}} {
		_, err := run(t, append(args, "--data-dir", dir)...)
		if err == nil || !strings.Contains(err.Error(), "cognate serve uses") {
			t.Errorf("%v on an empty directory: err = %v", args, err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a tool created %s", dir)
	}
}

func TestKeysRotate(t *testing.T) {
	dir := t.TempDir()
	st := seed(t, dir)
	ctx := context.Background()
	if err := st.CreatePool(ctx, store.Pool{ID: "us-east-1_bbbbbbbbb", Name: "p", CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := tokens.NewIssuer(st, tokens.Options{}).EnsureKey(ctx, "us-east-1_bbbbbbbbb"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if _, err := run(t, "keys", "rotate", "--data-dir", dir, "--pool", "us-east-1_bbbbbbbbb"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "keys", "rotate", "--data-dir", dir, "--pool", "us-east-1_nope00000"); err == nil {
		t.Fatal("rotating the keys of an unknown pool succeeded")
	}
	st = seed(t, dir)
	defer st.Close()
	keys, err := st.SigningKeys(ctx, "us-east-1_bbbbbbbbb")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].RetiredAt.IsZero() || !keys[1].RetiredAt.IsZero() {
		t.Fatalf("after rotation: %d keys, first retired %v, second retired %v", len(keys), keys[0].RetiredAt, keys[1].RetiredAt)
	}
}

func TestConfigurationErrorsAreReported(t *testing.T) {
	_, err := run(t, "messages", "--region", "nowhere", "--listen", "bad")
	if err == nil || !strings.Contains(err.Error(), "region") || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("err = %v", err)
	}
}

func TestVersion(t *testing.T) {
	out, err := run(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "cognate ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version printed %q", out)
	}
}

func TestKeysSenderKey(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir).Close()
	master, err := secretbox.LoadKeyFile(dir + "/master.key")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"arn:aws:kms:us-east-1:000000000000:key/one", "arn:aws:kms:us-east-1:000000000000:key/two"} {
		out, err := run(t, "keys", "sender-key", "--data-dir", dir, "--kms-key-id", id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sendercode.ParseKey(out)
		if err != nil {
			t.Fatalf("%s: %q is no sender key: %v", id, out, err)
		}
		want, err := userpool.SenderKey(master, id)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: printed %x, the server encrypts with %x (%v)", id, got, want, err)
		}
	}
	one, _ := run(t, "keys", "sender-key", "--data-dir", dir, "--kms-key-id", "arn:aws:kms:us-east-1:000000000000:key/one")
	two, _ := run(t, "keys", "sender-key", "--data-dir", dir, "--kms-key-id", "arn:aws:kms:us-east-1:000000000000:key/two")
	if one == two {
		t.Error("two KMSKeyIDs share a sender key")
	}
}
