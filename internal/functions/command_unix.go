//go:build unix

package functions

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel runs the command in a process group of its own and kills
// the whole group when the invocation's context ends, so a shell script's
// children do not outlive it.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
