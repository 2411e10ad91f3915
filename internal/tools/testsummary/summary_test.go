package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestRecordedRun summarises a real go test -json transcript (see
// testdata/README).
func TestRecordedRun(t *testing.T) {
	in, err := os.Open("testdata/gotest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	if err := run(in, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := `summary: packages: 1 passed, 2 failed, 1 without tests; tests: 4 passed, 2 failed, 5 skipped ` +
		`(3 "skipped: aws not found on PATH", 1 without a reason, 1 "PostgreSQL not found"); failed: fixture/alpha.TestFail/bad`
	if got := lines[len(lines)-1]; got != want {
		t.Errorf("last line:\n%s\nwant\n%s", got, want)
	}
	body := strings.Join(lines[:len(lines)-1], "\n") + "\n"
	for _, w := range []string{
		"    alpha_test.go:12: boom\n--- FAIL: TestFail/bad (0.00s)\n--- FAIL: TestFail (0.00s)\nFAIL\nFAIL\tfixture/alpha\t",
		"broken/broken_test.go:5:28: undefined: undefined\n",
		"FAIL\tfixture/broken [build failed]\n",
		"ok  \tfixture/beta\t",
		"?   \tfixture/empty\t[no test files]\n",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("output lacks %q:\n%s", w, body)
		}
	}
	// What plain go test leaves out: passing tests' logs, skips, test2json's framing.
	for _, unwanted := range []string{"quiet when passing", "--- PASS", "--- SKIP", "=== RUN", "=== PAUSE", "=== CONT", "\nPASS\n"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("output holds %q:\n%s", unwanted, body)
		}
	}
}

// TestCutShort summarises a run that ended in the middle of a package, as
// when go test is killed, with a line that is not an event.
func TestCutShort(t *testing.T) {
	in := `go: downloading example.com/m v1.0.0
{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestSlow"}
{"Action":"output","Package":"p","Test":"TestSlow","Output":"=== RUN   TestSlow\n"}
{"Action":"output","Package":"p","Test":"TestSlow","Output":"    slow_test.go:9: waiting\n"}
`
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	want := "go: downloading example.com/m v1.0.0\n    slow_test.go:9: waiting\n" +
		"summary: packages: 0 passed, 1 failed, 0 without tests; tests: 0 passed, 0 failed, 0 skipped\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSkipReason(t *testing.T) {
	lines := []line{
		{"TestA", "=== RUN   TestA\n"},
		{"TestA", "    a_test.go:3: first\n"},
		{"TestB", "    b_test.go:4: not A's\n"},
		{"TestA", "    a_test.go:7: skipped: PostgreSQL not found (set PGBIN)\n"},
		{"TestA", "--- SKIP: TestA (0.00s)\n"},
	}
	if got := skipReason(lines, "TestA"); got != "skipped: PostgreSQL not found (set PGBIN)" {
		t.Errorf("skipReason = %q", got)
	}
	if got := skipReason(lines, "TestC"); got != "" {
		t.Errorf("skipReason of a test that logged nothing = %q", got)
	}
}
