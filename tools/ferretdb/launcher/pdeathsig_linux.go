package main

import "syscall"

// setParentDeathSignal asks Linux to signal us when the server dies (prctl PR_SET_PDEATHSIG).
func setParentDeathSignal(sig syscall.Signal) {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(sig), 0)
}

// childAttr: FerretDB is killed if we die without stopping it (e.g. SIGKILL of this launcher).
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
