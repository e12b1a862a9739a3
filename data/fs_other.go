//go:build !unix

package data

// isReadOnlyFS: outside Unix a read-only medium reports a permission
// error, which notWritable already treats as read-only.
func isReadOnlyFS(error) bool { return false }

// dirWritable: Windows folders are rarely read-only to their owner, and
// SQLite reports the rare case when it cannot create its log.
func dirWritable(string) bool { return true }

// processAlive cannot be checked cheaply here; an announced writer is
// taken to be alive.
func processAlive(int) bool { return true }
