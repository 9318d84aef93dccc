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
	// Expect says what a run of the preset showed when, where it was
	// measured (bench quality on 2 CPU cores): the start-up line's promise.
	Expect string
}

// Presets, largest first.
var Presets = []Preset{
	{"seed", 64, 64, 10000, "the example exactly (F=64, batch 64, 10,000 iterations): for a GPU", ""},
	{"medium", 32, 32, 4000, "F=32, batch 32: a fast CPU or a small GPU", ""},
	{"small", 16, 32, 2000, "F=16, batch 32: about 1 s per iteration on 2 CPU cores",
		"measured on 2 CPU cores (bench quality): texture through the first 30 minutes (about 1700 iterations), all 25 images alike; SWD 236 after 10 minutes and 193 after 30 (19 between real pictures): tiny shows more sooner"},
	{"tiny", 8, 16, 6000, "F=8, batch 16: the smallest model, for a first look without a GPU (6000 iterations: about 30 minutes on 2 CPU cores)",
		"measured on 2 CPU cores (bench quality): texture for about the first 15 minutes, then blobs in the flowers' colours (pink, purple, red on green), of two or three kinds, by 20-30 minutes; SWD 160 after 10 minutes, 173 after 30 (19 between real pictures). --recipe paper did better: 150 after 10 minutes, 118 after 30, 25 different flower-like blobs"},
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

// Defaults of a run's recipe and moving average, the desktop's and the
// page's, chosen by the quality benchmark (`bench quality`, README
// "Sample quality per minute").
const (
	DefaultRecipe = "seed"
	DefaultEMA    = 0.0   // the moving average's decay when none is asked for (0: none)
	EMADecay      = 0.999 // the decay of --ema without a value, and of the page's ema=true
)

// A Recipe is a named set of the critic and the learning rates, applied
// to a preset's configuration.
type Recipe struct {
	Name  string
	About string
	apply func(*wgan.Config)
}

// Recipes: the example's (the default) and the WGAN-GP paper's
// (Gulrajani et al. 2017, Algorithm 1: a critic without a sigmoid and
// both learning rates 1e-4; β1 0, β2 0.9, λ 10 and 5 critic steps as the
// example has them).
var Recipes = []Recipe{
	{"seed", "the example's: a sigmoid on the critic's score, learning rates 2e-4 (critic) and 1e-3 (generator)", func(*wgan.Config) {}},
	{"paper", "the WGAN-GP paper's: no sigmoid on the critic's score, both learning rates 1e-4", func(c *wgan.Config) {
		c.Linear, c.LRD, c.LRG = true, 1e-4, 1e-4
	}},
}

// RecipeByName returns the recipe called name ("" is DefaultRecipe).
func RecipeByName(name string) (Recipe, error) {
	if name == "" {
		name = DefaultRecipe
	}
	var names []string
	for _, r := range Recipes {
		if r.Name == name {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return Recipe{}, fmt.Errorf("unknown recipe %q (available: %s)", name, strings.Join(names, ", "))
}

// RecipeOf names the recipe a configuration follows: paper for a linear
// critic, else seed.
func RecipeOf(c wgan.Config) string {
	if c.Linear {
		return "paper"
	}
	return "seed"
}
