//go:build !linux

package integration

import "syscall"

func childProcAttr() *syscall.SysProcAttr { return nil }
