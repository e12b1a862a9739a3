package views

import (
	"bytes"
	"io"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parallax-research/parallax/data"
	"github.com/parallax-research/parallax/data/export"
)

// newPropagation builds the Propagation screen following Compare: the
// clusters Compare lists under its filters, and the cluster it shows.
func (wb *Workbench) newPropagation() *Propagation {
	p := NewPropagation()
	p.OnError = wb.ShowError
	p.Background = wb.background
	p.Scope = func() PropagationScope {
		var s PropagationScope
		if c, ok := wb.Compare.Selected(); ok {
			s.Selected = c.ID
		}
		if f := ScopeOf(wb.Compare.Filter()); f != "" {
			s.Clusters, s.Filters = wb.Compare.ClusterIDs(), f
		}
		s.Versions = wb.Compare.ListedVersions()
		return s
	}
	p.OnShowCluster = func(id int64) {
		wb.ShowTab("Compare")
		wb.Compare.SelectCluster(id)
	}
	return p
}

// propagationTab wraps the Propagation screen with its exports: each
// picture as SVG or PNG, and the pickup graph for network tools.
func (wb *Workbench) propagationTab() fyne.CanvasObject {
	graph := widget.NewButtonWithIcon("Export graph…", theme.DownloadIcon(), func() {
		wb.exportPropagation("pickups", []exportChoice{
			{"SVG picture", ".svg", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WritePickupsSVG, d) }},
			{"PNG picture", ".png", func(*data.ExportData) ([]byte, error) { return wb.Propagation.GraphPNG(fyne.NewSize(1600, 1100)) }},
			{"GraphML (Gephi, igraph)", ".graphml", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WriteGraphML, d) }},
			{"DOT (Graphviz)", ".dot", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WriteDOT, d) }},
			{"CSV edge list", ".csv", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WritePickupsCSV, d) }},
		}, false)
	})
	tree := widget.NewButtonWithIcon("Export tree…", theme.DownloadIcon(), func() {
		wb.exportPropagation("variants", []exportChoice{
			{"SVG picture", ".svg", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WriteVariantsSVG, d) }},
			{"PNG picture", ".png", func(*data.ExportData) ([]byte, error) { return wb.Propagation.TreePNG(1400) }},
			{"CSV of the wordings", ".csv", func(d *data.ExportData) ([]byte, error) { return exportBytes(export.WriteVariantsCSV, d) }},
		}, true)
	})
	return container.NewBorder(container.NewHBox(graph, tree), nil, nil, nil, wb.Propagation.Content())
}

// exportChoice is a format offered by the Propagation screen's exports.
type exportChoice struct {
	label, ext string
	content    func(*data.ExportData) ([]byte, error)
}

func exportBytes(write func(io.Writer, *data.ExportData) error, d *data.ExportData) ([]byte, error) {
	var buf bytes.Buffer
	err := write(&buf, d)
	return buf.Bytes(), err
}

// exportPropagation asks for a format and saves the shown propagation in
// it; oneCluster narrows it to the cluster whose tree is shown.
func (wb *Workbench) exportPropagation(name string, choices []exportChoice, oneCluster bool) {
	snap := wb.Propagation.Snapshot()
	if snap == nil {
		return
	}
	d := &data.ExportData{Project: filepath.Base(wb.project.Text), Propagation: snap}
	if oneCluster {
		c, ok := snap.Cluster(wb.Propagation.SelectedCluster())
		if !ok {
			return
		}
		one := *snap
		one.Clusters = []data.PropagationCluster{*c}
		d.Propagation = &one
	}
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.label
	}
	radio := widget.NewRadioGroup(labels, nil)
	radio.SetSelected(labels[0])
	dialog.ShowCustomConfirm("Export the "+map[bool]string{false: "pickup graph", true: "variant tree"}[oneCluster], "Save…", "Cancel", radio, func(ok bool) {
		if !ok {
			return
		}
		for _, c := range choices {
			if c.label == radio.Selected {
				wb.saveFile(name+c.ext, c.ext, func() ([]byte, error) { return c.content(d) })
			}
		}
	}, wb.window)
}
