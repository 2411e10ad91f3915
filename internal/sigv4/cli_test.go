package sigv4_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAWSCLISignaturesVerify runs the aws CLI (botocore's signer) against a
// verifying server. It is skipped where the CLI is not installed, except in
// CI, which must have it.
func TestAWSCLISignaturesVerify(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the aws CLI is not on PATH in CI")
		}
		t.Skip("the aws CLI is not on PATH")
	}
	srv := newVerifyingServer(t)
	tests := []struct {
		name, key, secret string
		wantOK            bool
		wantStderr        string
	}{
		{name: "admin key", key: adminKey, secret: adminSecret, wantOK: true},
		{
			name: "wrong secret", key: adminKey, secret: "not-the-secret",
			wantStderr: "An error occurred (InvalidSignatureException) when calling the ListUserPools operation: " +
				"The request signature we calculated does not match the signature you provided.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, aws, "cognito-idp", "list-user-pools", "--max-results", "1",
				"--endpoint-url", srv.URL, "--region", "us-east-1")
			cmd.Env = cliEnv(t, tt.key, tt.secret)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			if tt.wantOK {
				if err != nil {
					t.Fatalf("aws: %v\n%s", err, stderr.String())
				}
				got := srv.last(t)
				if got.err != nil {
					t.Fatalf("Verify: %v", got.err)
				}
				if got.result.AccessKeyID != adminKey || got.result.Region != "us-east-1" || got.result.Service != "cognito-idp" {
					t.Errorf("Verify = %+v", got.result)
				}
				return
			}
			if err == nil {
				t.Fatal("aws succeeded, want a failure")
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}

// cliEnv keeps the caller's environment (the CLI may be a pyenv shim that
// needs it) but none of its AWS settings, and points config files nowhere.
func cliEnv(t *testing.T, key, secret string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	dir := t.TempDir()
	return append(env,
		"AWS_ACCESS_KEY_ID="+key,
		"AWS_SECRET_ACCESS_KEY="+secret,
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1",
		"AWS_PAGER=",
	)
}
