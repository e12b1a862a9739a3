//go:build windows

package app

import (
	"log"
	"os"
	"strings"
	"syscall"
)

// The Windows build is linked as a GUI program (-H windowsgui), so that
// opening Parallax from Explorer or the Start menu shows no console window.
// Windows starts such a program without a console, and whatever a command
// prints to an unredirected stdout or stderr is lost. So when the command
// line names a command (anything but the window, see Main), Parallax
// attaches to the console of the program that started it (cmd.exe,
// PowerShell, Windows Terminal) and prints there. Streams the caller
// redirected to a file or a pipe (`parallax list --json > list.json`,
// `$(parallax version)`) arrive as valid handles and are kept as they are.
// Started from Explorer there is no parent console: nothing to attach,
// nothing printed, as before.
//
// The window itself does not attach: its log lines would otherwise
// appear in the console the user goes on typing in, and its Ctrl+C would
// reach the window. As with any GUI program, an interactive cmd.exe or
// PowerShell prompt does not wait for a command to finish, so the prompt
// can come back before the output; batch files, pipes, captured output
// and `start /wait parallax ...` do wait.
func init() {
	args := os.Args[1:]
	if len(args) == 0 || strings.HasPrefix(args[0], "--project") {
		return // the window: see above
	}
	attachParentConsole()
}

var (
	kernel32           = syscall.NewLazyDLL("kernel32.dll")
	procAttachConsole  = kernel32.NewProc("AttachConsole")
	procSetStdHandle   = kernel32.NewProc("SetStdHandle")
	procSetConsoleMode = kernel32.NewProc("SetConsoleMode")
)

const (
	attachParentProcess             = ^uint32(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	enableVirtualTerminalProcessing = 0x0004     // ENABLE_VIRTUAL_TERMINAL_PROCESSING
)

// usable reports whether h is a handle a program can write to: a file,
// a pipe or a console. A GUI program started from Explorer, or from a
// console without redirection, gets 0 or INVALID_HANDLE_VALUE instead.
func usable(h syscall.Handle) bool {
	if h == 0 || h == syscall.InvalidHandle {
		return false
	}
	t, err := syscall.GetFileType(h)
	return err == nil && t != syscall.FILE_TYPE_UNKNOWN
}

func attachParentConsole() {
	out, _ := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE)
	errh, _ := syscall.GetStdHandle(syscall.STD_ERROR_HANDLE)
	outOK, errOK := usable(out), usable(errh)
	if outOK && errOK {
		enableVT(out)
		enableVT(errh)
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return // no parent console (Explorer, a shortcut): stay silent
	}
	if !outOK {
		if h, ok := openConsoleOutput(syscall.STD_OUTPUT_HANDLE); ok {
			syscall.Stdout = h
			os.Stdout = os.NewFile(uintptr(h), "/dev/stdout")
		}
	}
	if !errOK {
		if h, ok := openConsoleOutput(syscall.STD_ERROR_HANDLE); ok {
			syscall.Stderr = h
			os.Stderr = os.NewFile(uintptr(h), "/dev/stderr")
			log.SetOutput(os.Stderr) // the log package took the old stderr at its init
		}
	}
}

// openConsoleOutput opens the attached console's screen buffer and makes
// it the process's std handle, for C code and child processes too.
func openConsoleOutput(std int) (syscall.Handle, bool) {
	name, _ := syscall.UTF16PtrFromString("CONOUT$")
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE,
		syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE, nil, syscall.OPEN_EXISTING, 0, 0)
	if err != nil {
		return 0, false
	}
	procSetStdHandle.Call(uintptr(uint32(std)), uintptr(h))
	enableVT(h)
	return h, true
}

// enableVT lets a console interpret the escape sequences of the progress
// line and of highlighted search matches (Windows 10 and later); other
// handles are left alone.
func enableVT(h syscall.Handle) {
	var mode uint32
	if syscall.GetConsoleMode(h, &mode) != nil || mode&enableVirtualTerminalProcessing != 0 {
		return
	}
	procSetConsoleMode.Call(uintptr(h), uintptr(mode|enableVirtualTerminalProcessing))
}
