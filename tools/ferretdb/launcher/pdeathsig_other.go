//go:build !linux

package main

import "syscall"

// Elsewhere the closed stdin pipe alone tells us the server is gone.
func setParentDeathSignal(syscall.Signal) {}

func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
