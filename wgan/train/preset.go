package train

import (
	"fmt"
	"strings"

	"github.com/wgangp/wgangp/wgan"
)

// Preset is a named model size and run length. Only seed is the example of
// SPEC.md; the smaller ones keep its architecture, losses and optimiser and
// narrow the networks (F) and the minibatch so that a machine without a GPU
// shows progress within minutes.
type Preset struct {
	Name       string
	Filters    int
	Batch      int
	Iterations int
	About      string
}

// Presets, largest first.
var Presets = []Preset{
	{"seed", 64, 64, 10000, "the example exactly (F=64, batch 64, 10,000 iterations): for a GPU"},
	{"medium", 32, 32, 4000, "F=32, batch 32: a fast CPU or a small GPU"},
	{"small", 16, 32, 2000, "F=16, batch 32: about 0.6 s per iteration on 2 CPU cores"},
	{"tiny", 8, 16, 1000, "F=8, batch 16: the smallest model, for a first look on a machine without a GPU (the time it takes is the status line's ETA once it runs)"},
}

// PresetByName returns the preset called name.
func PresetByName(name string) (Preset, error) {
	var names []string
	for _, p := range Presets {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Preset{}, fmt.Errorf("unknown preset %q (available: %s)", name, strings.Join(names, ", "))
}

// Config is the SPEC.md configuration with the preset's F and batch.
func (p Preset) Config() wgan.Config {
	c := wgan.SeedConfig()
	c.Filters, c.Batch = p.Filters, p.Batch
	return c
}
