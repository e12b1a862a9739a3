//go:build unix

package data

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

func isReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }

// dirWritable reports whether files can be created in dir; access(2)
// answers for read-only mounts and permissions alike without creating
// anything.
func dirWritable(dir string) bool { return unix.Access(dir, unix.W_OK) == nil }

// processAlive reports whether a process with this ID runs on this
// machine (signal 0 checks without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
