package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/parallax-research/parallax/diffing/vocab"
)

// MatrixRow is one row of the outlet matrix as the compare screens build
// it: a cluster and, for each outlet in the header's order, that outlet's
// relations to the reference as written in a cell ("verbatim+fragment"),
// empty where the outlet does not carry the cluster.
type MatrixRow struct {
	Cluster int64
	Kind    vocab.UnitKind
	Speaker string
	Status  vocab.Status
	Cells   []string
}

// WriteMatrixCSV writes the outlet matrix the screen shows as CSV: a
// header row cluster, kind, speaker, status, <outlets…>, then one row per
// cluster in the order given. The encoding and the formula guard are those
// of WriteAnnotationsCSV.
func WriteMatrixCSV(w io.Writer, outlets []string, rows []MatrixRow) error {
	cw := newExportCSV(w)
	rec := []string{"cluster", "kind", "speaker", "status"}
	for _, o := range outlets {
		rec = append(rec, FormulaSafe(o))
	}
	cw.Write(rec)
	for _, r := range rows {
		rec = append(rec[:0], strconv.FormatInt(r.Cluster, 10), FormulaSafe(string(r.Kind)), FormulaSafe(r.Speaker), FormulaSafe(string(r.Status)))
		for o := range outlets {
			var cell string
			if o < len(r.Cells) {
				cell = r.Cells[o]
			}
			rec = append(rec, FormulaSafe(cell))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export outlet matrix CSV: %w", err)
	}
	return nil
}
