package integration

import "syscall"

// childProcAttr makes a server the tests start die with the test binary,
// should the binary be killed (a timeout) before it stops the server.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
