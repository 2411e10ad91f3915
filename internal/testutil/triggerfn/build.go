package triggerfn

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// Build builds cmd/triggerfn into a directory of the test's and returns
// the program's path.
func Build(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "triggerfn")
	out, err := exec.Command("go", "build", "-o", path, "github.com/cognate-auth/cognate/internal/testutil/triggerfn/cmd/triggerfn").CombinedOutput()
	if err != nil {
		t.Fatalf("building triggerfn: %v\n%s", err, out)
	}
	return path
}
