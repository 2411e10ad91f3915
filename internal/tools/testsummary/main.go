// Command testsummary reads the events of `go test -json` on its input,
// prints what a plain `go test` would have printed (the result of each
// package, and the output of the tests that failed), and ends with one line
// saying what ran: packages and tests that passed, failed and were skipped,
// the skips grouped by the reason they gave. scripts/test.sh pipes the
// suite through it:
//
//	go test -json ./... | go run ./internal/tools/testsummary
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	w := bufio.NewWriter(out)
	s := newSummary(w)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024) // a test may print long lines
	for sc.Scan() {
		s.line(sc.Bytes())
		// Show each package's result as it comes, not all at the end.
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	s.finish()
	fmt.Fprintln(w, s.String())
	return w.Flush()
}
