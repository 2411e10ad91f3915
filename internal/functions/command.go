package functions

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"time"
)

// stderrTail is how much of a command's standard error is kept: enough
// for its last line.
const stderrTail = 4096

// passedEnv are the variables of Cognate's environment a command sees.
var passedEnv = []string{"PATH", "HOME", "TMPDIR", "LANG", "TZ"}

// commandTarget runs a local program per invocation.
type commandTarget struct {
	argv []string
	env  []string
}

func newCommandTarget(argv []string, extra map[string]string) *commandTarget {
	var env []string
	for _, k := range passedEnv {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return &commandTarget{argv: argv, env: env}
}

func (c *commandTarget) kind() Kind { return KindCommand }

func (c *commandTarget) invoke(ctx context.Context, _ ARN, event []byte) ([]byte, string, error) {
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.Env = c.env
	cmd.Stdin = bytes.NewReader(event)
	stdout := &cappedBuffer{max: MaxPayload}
	stderr := &tailBuffer{max: stderrTail}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// Children that keep the pipes open get this long after the kill.
	cmd.WaitDelay = 200 * time.Millisecond
	killGroupOnCancel(cmd)
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, "", unexpected("command %s: %w", c.argv[0], ctx.Err())
	case stdout.overflow:
		return nil, "", invalid("%w", errTooLarge)
	case err == nil:
		return stdout.buf.Bytes(), "", nil
	}
	// A non-zero exit or a crash is the function's error, as Lambda reports a
	// runtime that exits (Runtime.ExitError).
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		msg := stderr.lastLine()
		if msg == "" {
			msg = exit.String()
		}
		return nil, "", &FunctionError{Type: "Runtime.ExitError", Message: msg}
	}
	return nil, "", unexpected("command %s: %w", c.argv[0], err)
}

// cappedBuffer keeps at most max bytes and then refuses more.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		b.overflow = true
		return 0, errTooLarge
	}
	return b.buf.Write(p)
}

// tailBuffer keeps the last max bytes written.
type tailBuffer struct {
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > b.max {
		p = p[len(p)-b.max:]
	}
	if over := len(b.buf) + len(p) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// lastLine is the last non-empty line, trimmed.
func (b *tailBuffer) lastLine() string {
	lines := bytes.Split(bytes.TrimRight(b.buf, " \t\r\n"), []byte{'\n'})
	return string(bytes.TrimSpace(lines[len(lines)-1]))
}
