//go:build !unix

package functions

import "os/exec"

// killGroupOnCancel: without process groups, exec.CommandContext's kill of
// the process itself is what remains.
func killGroupOnCancel(*exec.Cmd) {}
