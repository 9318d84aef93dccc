package shaders

import (
	"github.com/wgangp/wgangp/engine"
)

func init() { exampleFamilies = append(exampleFamilies, convExamples) }

// convExamples are the convolution family's kernels: the model's layers
// (F=64, at batch 4 so that the reference stays quick) and small shapes
// that take the other paths (blocks under 8×8, phases without taps).
func convExamples() []Example {
	same := engine.Pads(1, 1, 2, 2)
	in := func(g *engine.Graph, name string, s ...int) *engine.Node { return g.Input(name, s...) }
	return withDirect([]Example{
		{Name: "conv2d disc.conv2", Build: func(g *engine.Graph) *engine.Node {
			return engine.Conv2D(in(g, "x", 4, 64, 32, 32), in(g, "w", 128, 64, 5, 5), 2, same)
		}},
		{Name: "conv2d disc.conv5", Build: func(g *engine.Graph) *engine.Node {
			return engine.Conv2D(in(g, "x", 4, 512, 4, 4), in(g, "w", 1, 512, 4, 4), 1, engine.Padding{})
		}},
		{Name: "conv2d small", Build: func(g *engine.Graph) *engine.Node {
			return engine.Conv2D(in(g, "x", 1, 3, 7, 9), in(g, "w", 5, 3, 3, 3), 1, engine.Pads(1, 1, 1, 1))
		}},
		{Name: "convtranspose gen.tconv3", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvTranspose(in(g, "dy", 4, 128, 16, 16), in(g, "w", 128, 64, 5, 5), 2, same, 32, 32)
		}},
		{Name: "convtranspose gen.tconv1", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvTranspose(in(g, "dy", 4, 512, 4, 4), in(g, "w", 512, 256, 5, 5), 1, engine.Padding{}, 8, 8)
		}},
		{Name: "convtranspose 1x1 stride 2", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvTranspose(in(g, "dy", 2, 64, 8, 8), in(g, "w", 64, 64, 1, 1), 2, engine.Padding{}, 16, 16)
		}},
		{Name: "convfilter disc.conv1", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvFilter(in(g, "x", 4, 3, 64, 64), in(g, "dy", 4, 64, 32, 32), 2, same, 5, 5)
		}},
		{Name: "convfilter disc.conv4", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvFilter(in(g, "x", 4, 256, 8, 8), in(g, "dy", 4, 512, 4, 4), 2, same, 5, 5)
		}},
		{Name: "convfilter small", Build: func(g *engine.Graph) *engine.Node {
			return engine.ConvFilter(in(g, "x", 1, 3, 7, 9), in(g, "dy", 1, 5, 7, 9), 1, engine.Pads(1, 1, 1, 1), 3, 3)
		}},
	})
}
