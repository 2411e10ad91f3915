package srp

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVectorsMatchJS reruns test/js/srp-vectors.mjs with the pinned JS
// libraries and checks that the committed vectors are what it prints. Without
// node or test/js/node_modules the test skips, except under CI, where it
// fails.
func TestVectorsMatchJS(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	node, err := exec.LookPath("node")
	for _, dep := range []string{"amazon-cognito-identity-js", "@aws-amplify/auth"} {
		if err == nil {
			_, err = os.Stat(filepath.Join(root, "test", "js", "node_modules", dep, "package.json"))
		}
	}
	if err != nil {
		msg := "regenerating the SRP vectors needs node and test/js/node_modules (npm ci in test/js): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("test", "js", "srp-vectors.mjs"))
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("node test/js/srp-vectors.mjs: %v\n%s", err, stderr.Bytes())
	}
	want, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("line %d: node prints %.120q, committed %.120q", i+1, g, w)
			break
		}
	}
	t.Fatal("the committed vectors differ from what the JS libraries compute; if the script changed on purpose, run\n" +
		"\tnode test/js/srp-vectors.mjs > internal/srp/testdata/cognito-identity-js-vectors.json\nfrom the repository root")
}
