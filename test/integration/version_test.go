package integration

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestVersionNamesTheRevision checks that `cognate version` names the
// checkout's revision, and says dirty exactly when the checkout has changes,
// both for a plain go build (which records no revision in a git worktree or
// under -buildvcs=false) and for go run (which never records one).
func TestVersionNamesTheRevision(t *testing.T) {
	tool(t, "git", "the version test compares with the checkout's revision")
	git := func(args ...string) string {
		out, err := exec.Command("git", args...).Output()
		if err != nil {
			missing(t, "git "+strings.Join(args, " ")+" failed: the source is not a git checkout")
		}
		return strings.TrimSpace(string(out))
	}
	head := git("rev-parse", "HEAD")
	dirty := git("status", "--porcelain") != ""

	check := func(t *testing.T, out []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("cognate version: %v\n%s", err, out)
		}
		fields := strings.Fields(strings.SplitN(string(out), ",", 2)[0]) // cognate <version> <revision> [dirty]
		if len(fields) < 3 || fields[0] != "cognate" || fields[2] != head {
			t.Fatalf("cognate version printed %q; want the revision %s", out, head)
		}
		if saysDirty := len(fields) > 3 && fields[3] == "dirty"; saysDirty != dirty {
			t.Fatalf("cognate version printed %q; the checkout is dirty: %v", out, dirty)
		}
	}
	t.Run("go build", func(t *testing.T) {
		out, err := exec.Command(cognateBinary(t), "version").CombinedOutput()
		check(t, out, err)
	})
	t.Run("go run", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "run", "github.com/cognate-auth/cognate/cmd/cognate", "version").Output()
		check(t, out, err)
	})
}
