// Command provenant-engine runs the embedded FerretDB for one Provenant server process and makes
// sure that (1) only one engine ever opens a data directory and (2) the engine never outlives the
// server that started it, whatever way that server ends (issue 9, findings 19 and 20).
//
//	provenant-engine -parent PID [-lock FILE] [-socket PATH] [-remove-dir DIR] -- ferretdb ARGS…
//
// The lock is a kernel flock on FILE, held by this process and inherited by FerretDB (fd 3), so
// the kernel drops it when both are gone: no stale lock after a crash, no PID-reuse guessing.
// Lifetime: the server holds our stdin open; EOF (the server exited, even by SIGKILL) or SIGTERM
// stops FerretDB. On Linux a parent-death signal covers us and FerretDB as well.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// ExitLocked is the exit status when another engine holds the lock (EX_TEMPFAIL).
const ExitLocked = 75

type lockInfo struct {
	LauncherPid int    `json:"launcherPid"`
	ServerPid   int    `json:"serverPid"`
	EnginePid   int    `json:"enginePid,omitempty"`
	Host        string `json:"host"`
	Socket      string `json:"socket,omitempty"`
	StartedAt   string `json:"startedAt"`
}

func main() {
	// Linux sends the parent-death signal when the *thread* that forked the child ends; keep
	// FerretDB's parent thread alive for the whole run by pinning main to it.
	runtime.LockOSThread()
	parent := flag.Int("parent", 0, "pid of the server process; exit at once if it is already gone")
	lockPath := flag.String("lock", "", "lock file guarding the data directory")
	socket := flag.String("socket", "", "Unix socket FerretDB will listen on (a stale one is removed)")
	removeDir := flag.String("remove-dir", "", "private directory to delete on exit")
	flag.Parse()
	argv := flag.Args()
	if len(argv) == 0 {
		fail(2, "usage: provenant-engine -parent PID [-lock FILE] [-socket PATH] [-remove-dir DIR] -- ferretdb ARGS…")
	}
	setParentDeathSignal(syscall.SIGTERM)
	if *parent != 0 && os.Getppid() != *parent {
		fail(1, "the server that started the engine is already gone")
	}
	// Everything FerretDB creates (socket, SQLite files) is owner-only.
	syscall.Umask(0o077)
	cleanup := func() {
		if *removeDir != "" {
			_ = os.RemoveAll(*removeDir)
		}
	}

	var lockFile *os.File
	info := lockInfo{LauncherPid: os.Getpid(), ServerPid: *parent, Socket: *socket, StartedAt: time.Now().UTC().Format(time.RFC3339)}
	info.Host, _ = os.Hostname()
	if *lockPath != "" {
		f, err := os.OpenFile(*lockPath, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			fail(1, fmt.Sprintf("cannot open the engine lock %s: %v", *lockPath, err))
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			held, _ := io.ReadAll(io.LimitReader(f, 4096))
			cleanup()
			fmt.Fprintf(os.Stderr, "LOCKED %s\n", strings.TrimSpace(string(held)))
			os.Exit(ExitLocked)
		}
		lockFile = f
		writeLock(lockFile, info)
	}
	if *socket != "" {
		// We hold the lock, so a socket left here belongs to an engine that is gone.
		if st, err := os.Lstat(*socket); err == nil && st.Mode()&os.ModeSocket != 0 {
			_ = os.Remove(*socket)
		}
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if lockFile != nil {
		cmd.ExtraFiles = []*os.File{lockFile} // FerretDB keeps the flock alive as long as it runs
	}
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		cleanup()
		fail(1, fmt.Sprintf("cannot start FerretDB: %v", err))
	}
	info.EnginePid = cmd.Process.Pid
	if lockFile != nil {
		writeLock(lockFile, info)
	}
	fmt.Printf("{\"enginePid\":%d}\n", cmd.Process.Pid)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := make(chan string, 2)
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop <- "server gone (stdin closed)" }()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() { s := <-sigs; stop <- s.String() }()

	select {
	case err := <-done:
		cleanup()
		os.Exit(exitCode(err))
	case <-stop:
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		cleanup()
		os.Exit(0)
	}
}

func writeLock(f *os.File, info lockInfo) {
	b, _ := json.Marshal(info)
	_ = f.Truncate(0)
	_, _ = f.WriteAt(append(b, '\n'), 0)
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

func fail(code int, msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(code)
}
