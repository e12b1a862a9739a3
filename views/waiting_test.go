package views

import (
	"strings"
	"testing"
	"time"

	"github.com/parallax-research/parallax/data"
)

// TestChangeWaitsForOtherWriter: a change that finds the project being
// written by another Parallax is not lost or refused: the status line says
// the window waits for it, and the change is made when the other is done.
func TestChangeWaitsForOtherWriter(t *testing.T) {
	wb, _ := newBench(t, testStore(t, sample()...))
	// The retry's timer is a queue the test runs itself: the test driver's
	// fyne.Do runs a function on the calling goroutine, so a real timer
	// would change the window from another goroutine than the test's.
	var pending []func()
	var delays []time.Duration
	wb.after = func(d time.Duration, f func()) { pending = append(pending, f); delays = append(delays, d) }
	tries := 0
	busy := &data.Error{Code: data.EBusy, Message: "p.parallax is being changed by another Parallax (import of 30000 articles, process 7 on h, since 10:00:00), so this change was not saved"}
	err := wb.History.Run(Action{Name: "annotation", Do: func() error {
		if tries++; tries < 3 {
			return busy
		}
		return nil
	}, Undo: func() error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if s := wb.status.Text; !strings.Contains(s, "Waiting for another Parallax using this project") || !strings.Contains(s, "import of 30000 articles") {
		t.Fatalf("status while waiting: %q", s)
	}
	if wb.History.UndoName() != "" {
		t.Fatalf("undo %q before the change was saved", wb.History.UndoName())
	}
	for len(pending) > 0 && tries < 10 {
		f := pending[0]
		pending = pending[1:]
		f()
	}
	if tries != 3 || wb.History.UndoName() == "" || len(delays) != 2 || delays[0] != time.Second {
		t.Fatalf("after the other writer: %d tries, retries after %v, undo %q", tries, delays, wb.History.UndoName())
	}
	if strings.Contains(wb.status.Text, "Waiting") {
		t.Fatalf("status still says waiting: %q", wb.status.Text)
	}
}

// TestReadOnlyStatus: a read-only project says so in the status line,
// whatever else the line reports.
func TestReadOnlyStatus(t *testing.T) {
	wb, _ := newBench(t, testStore(t, sample()...))
	wb.SetReadOnly("the file is read-only")
	wb.SetStatus("Exported md")
	if s := wb.status.Text; !strings.HasPrefix(s, "Read-only (the file is read-only)") || !strings.Contains(s, "Exported md") {
		t.Fatalf("status = %q", s)
	}
}

// TestLibrarySearchCapNote: a query longer than the search caps is
// searched in part, and the match count says so.
func TestLibrarySearchCapNote(t *testing.T) {
	wb, _ := newBench(t, testStore(t, sample()...))
	wb.Library.SetSearch("widespread " + strings.Repeat("failures ", 40))
	if got := wb.Library.count.Text; !strings.Contains(got, "Only the first 32 of the query's 41 terms were searched") {
		t.Fatalf("count line %q", got)
	}
}
