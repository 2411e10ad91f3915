package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// event is one line of `go test -json` (see go doc test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string // of build-output and build-fail events
}

// summary tells a test run's events apart by package and counts them.
type summary struct {
	out      io.Writer
	packages map[string]*pkg // running: results not shown yet

	pkgPassed, pkgFailed, pkgNoTests int
	passed, failed, skipped          int
	failedTests                      []string // package.Test
	skipReasons                      map[string]int
}

// pkg is what a running package has printed so far.
type pkg struct {
	lines  []line
	status map[string]string // test → pass, fail or skip
}

type line struct{ test, text string }

func newSummary(out io.Writer) *summary {
	return &summary{out: out, packages: map[string]*pkg{}, skipReasons: map[string]int{}}
}

// line takes one line of input: an event, or anything else, which is
// passed through.
func (s *summary) line(b []byte) {
	var e event
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &e) != nil || e.Action == "" {
		fmt.Fprintf(s.out, "%s\n", b)
		return
	}
	s.event(e)
}

func (s *summary) event(e event) {
	switch e.Action {
	case "build-output":
		fmt.Fprint(s.out, e.Output) // compiler errors, shown at once as go test does
		return
	case "build-fail":
		return // the package's own fail event follows
	}
	p := s.packages[e.Package]
	if p == nil {
		p = &pkg{status: map[string]string{}}
		s.packages[e.Package] = p
	}
	switch {
	case e.Action == "output":
		p.lines = append(p.lines, line{e.Test, e.Output})
	case e.Test != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
		p.status[e.Test] = e.Action
		s.countTest(e, p)
	case e.Test == "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
		s.endPackage(e, p)
	}
}

func (s *summary) countTest(e event, p *pkg) {
	switch e.Action {
	case "pass":
		s.passed++
	case "fail":
		s.failed++
		s.failedTests = append(s.failedTests, e.Package+"."+e.Test)
	case "skip":
		s.skipped++
		s.skipReasons[skipReason(p.lines, e.Test)]++
	}
}

// endPackage shows a finished package as plain go test would: its own
// lines and those of its failed tests, and of tests that never finished (a
// panic or a timeout ended the binary while they ran).
func (s *summary) endPackage(e event, p *pkg) {
	for _, l := range p.lines {
		if l.test != "" && p.status[l.test] != "fail" && p.status[l.test] != "" {
			continue
		}
		if framing(l.text) || (l.test == "" && l.text == "PASS\n") {
			continue // plain go test prints neither
		}
		fmt.Fprint(s.out, l.text)
	}
	switch e.Action {
	case "pass":
		s.pkgPassed++
	case "fail":
		s.pkgFailed++
	case "skip":
		s.pkgNoTests++
	}
	delete(s.packages, e.Package)
}

// finish shows the packages whose end never came (go test was killed).
func (s *summary) finish() {
	for _, name := range slices.Sorted(maps.Keys(s.packages)) {
		s.endPackage(event{Action: "fail", Package: name}, s.packages[name])
	}
}

// framing tells the lines test2json's verbose mode adds, which plain go test
// does not print.
func framing(text string) bool {
	for _, p := range []string{"=== RUN ", "=== PAUSE ", "=== CONT ", "=== NAME "} {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

// logLine is a line t.Log, t.Skip and the like print: "    file.go:12: text".
var logLine = regexp.MustCompile(`^\s+[^\s:]+\.go:\d+: (.*)$`)

// skipReason is the last message a skipped test logged, normally its
// t.Skip's, or "" when it logged none.
func skipReason(lines []line, test string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].test != test {
			continue
		}
		if m := logLine.FindStringSubmatch(strings.TrimRight(lines[i].text, "\n")); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

// String is the one-line summary, e.g.
//
//	summary: packages: 2 passed, 0 failed, 1 without tests; tests: 30 passed, 0 failed, 3 skipped (2 "PostgreSQL not found", 1 without a reason)
func (s *summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "summary: packages: %d passed, %d failed, %d without tests; tests: %d passed, %d failed, %d skipped",
		s.pkgPassed, s.pkgFailed, s.pkgNoTests, s.passed, s.failed, s.skipped)
	if len(s.skipReasons) > 0 {
		reasons := slices.SortedFunc(maps.Keys(s.skipReasons), func(a, b string) int {
			if n := s.skipReasons[b] - s.skipReasons[a]; n != 0 {
				return n
			}
			return strings.Compare(a, b)
		})
		for i, r := range reasons {
			if r == "" {
				reasons[i] = fmt.Sprintf("%d without a reason", s.skipReasons[r])
			} else {
				reasons[i] = fmt.Sprintf("%d %q", s.skipReasons[r], r)
			}
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(reasons, ", "))
	}
	if names := leaves(s.failedTests); len(names) > 0 {
		const most = 10
		fmt.Fprintf(&b, "; failed: %s", strings.Join(names[:min(len(names), most)], ", "))
		if len(names) > most {
			fmt.Fprintf(&b, " and %d more", len(names)-most)
		}
	}
	return b.String()
}

// leaves drops the tests that failed because a subtest of theirs did, which
// is listed already.
func leaves(failed []string) []string {
	var out []string
	for _, name := range failed {
		if !slices.ContainsFunc(failed, func(other string) bool { return strings.HasPrefix(other, name+"/") }) {
			out = append(out, name)
		}
	}
	return out
}
