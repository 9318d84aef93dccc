package tests

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/shaders"
)

// convCase is one geometry of the convolution family: the three ops
// (conv2d, its transpose and its filter gradient) of x with w.
type convCase struct {
	name   string
	x, w   engine.Shape
	stride int
	pad    engine.Padding
}

// family builds the three ops of c on random inputs in [-1, 1).
func (c convCase) family(g *engine.Graph, r *rand.Rand) ([]*engine.Node, map[*engine.Node][]float64) {
	feeds := map[*engine.Node][]float64{}
	in := func(name string, s engine.Shape) *engine.Node {
		n := g.Input(name, s...)
		feeds[n] = backendtest.Random(r, s.Size(), -1, 1)
		return n
	}
	x, w := in("x", c.x), in("w", c.w)
	y := engine.Conv2D(x, w, c.stride, c.pad)
	dy := in("dy", y.Shape())
	return []*engine.Node{
		y,
		engine.ConvTranspose(dy, w, c.stride, c.pad, c.x[2], c.x[3]),
		engine.ConvFilter(x, dy, c.stride, c.pad, c.w[2], c.w[3]),
	}, feeds
}

// convRelErr is the largest error of got against want in the measure of
// backendtest.Tolerance: |got - want| / (|want| + rms(want)).
func convRelErr(got, want []float64) float64 {
	var ss float64
	for _, v := range want {
		ss += v * v
	}
	rms := math.Sqrt(ss / float64(max(1, len(want))))
	worst := 0.0
	for i := range got {
		e := math.Abs(got[i]-want[i]) / (math.Abs(want[i]) + rms)
		if !(e <= worst) { // NaN wins
			worst = e
		}
	}
	return worst
}

var convOpNames = []string{"conv2d", "convtranspose", "convfilter"}

// TestWebGPUConv checks the convolution family on WebGPU (buffers poisoned
// with NaN) against the float64 reference: the suite's cases, shapes
// around the tile sizes and the odd ones, and the model's layers (F=64) at
// batch 1 and 2.
func TestWebGPUConv(t *testing.T) {
	b := openWebGPU(t)
	same := engine.Pads(1, 1, 2, 2)
	var cases []convCase
	for _, c := range backendtest.ConvCases {
		cases = append(cases, convCase{fmt.Sprintf("suite %v", c), engine.Shape{c.N, c.C, c.H, c.W}, engine.Shape{c.O, c.C, c.K, c.K}, c.Stride, c.Pad})
	}
	cases = append(cases, []convCase{
		{"odd sizes, 3x5 kernel", engine.Shape{3, 5, 11, 13}, engine.Shape{7, 5, 3, 5}, 2, engine.Pads(2, 1, 0, 3)},
		{"stride 3", engine.Shape{2, 3, 10, 11}, engine.Shape{5, 3, 4, 4}, 3, engine.Pads(1, 2, 1, 0)},
		{"asymmetric pads", engine.Shape{1, 6, 9, 8}, engine.Shape{4, 6, 4, 3}, 2, engine.Pads(2, 0, 0, 1)},
		{"kernel larger than input", engine.Shape{2, 3, 3, 3}, engine.Shape{4, 3, 5, 5}, 1, engine.Pads(2, 2, 2, 2)},
		{"kernel larger than input, stride 2", engine.Shape{3, 2, 3, 2}, engine.Shape{3, 2, 5, 5}, 2, engine.Pads(2, 2, 2, 3)},
		{"pixels, channels and depth past a tile", engine.Shape{1, 17, 13, 10}, engine.Shape{129, 17, 3, 3}, 1, engine.Pads(1, 1, 1, 1)},
		{"channels past a tile", engine.Shape{3, 65, 6, 6}, engine.Shape{130, 65, 3, 3}, 2, same},
		{"depth just past a step", engine.Shape{2, 17, 12, 12}, engine.Shape{33, 17, 1, 1}, 1, engine.Padding{}},
		{"1x1 kernel, stride 2 (phases without taps)", engine.Shape{2, 64, 16, 16}, engine.Shape{64, 64, 1, 1}, 2, engine.Padding{}},
		{"one output channel", engine.Shape{3, 40, 6, 6}, engine.Shape{1, 40, 3, 3}, 1, engine.Padding{}},
		{"disc.conv1 batch 2", engine.Shape{2, 3, 64, 64}, engine.Shape{64, 3, 5, 5}, 2, same},
		{"disc.conv2 batch 2", engine.Shape{2, 64, 32, 32}, engine.Shape{128, 64, 5, 5}, 2, same},
		{"disc.conv3 batch 1", engine.Shape{1, 128, 16, 16}, engine.Shape{256, 128, 5, 5}, 2, same},
		{"disc.conv4 batch 2", engine.Shape{2, 256, 8, 8}, engine.Shape{512, 256, 5, 5}, 2, same},
		{"disc.conv5 batch 2", engine.Shape{2, 512, 4, 4}, engine.Shape{1, 512, 4, 4}, 1, engine.Padding{}},
		{"gen.tconv1 batch 1", engine.Shape{1, 256, 8, 8}, engine.Shape{512, 256, 5, 5}, 1, engine.Padding{}},
	}...)
	// The transposed convolution by phases, all phases in one kernel: odd
	// sizes, asymmetric crops, phases without taps, split depth; each with
	// a part of the name of a kernel it must run (the method it is for).
	kernels := map[string]string{}
	for _, c := range []struct {
		convCase
		kernel string
	}{
		{convCase{"phases, stride 2, 5x4 kernel, odd sizes", engine.Shape{2, 100, 9, 11}, engine.Shape{31, 100, 5, 4}, 2, engine.Pads(2, 1, 1, 2)}, "_phases4_"},
		{convCase{"phases, stride 2, 3x3 kernel, asymmetric pads", engine.Shape{1, 100, 13, 15}, engine.Shape{31, 100, 3, 3}, 2, engine.Pads(0, 1, 2, 0)}, "_phases4_"},
		{convCase{"phases, stride 3, 4x5 kernel", engine.Shape{1, 100, 17, 19}, engine.Shape{31, 100, 4, 5}, 3, engine.Pads(1, 2, 2, 0)}, "_phases9_"},
		{convCase{"phases, stride 3, 2x2 kernel (phases without taps)", engine.Shape{1, 100, 17, 19}, engine.Shape{31, 100, 2, 2}, 3, engine.Pads(0, 1, 1, 0)}, "_phases9_"},
		{convCase{"phases, 1x1 kernel, stride 2, odd sizes", engine.Shape{1, 33, 9, 11}, engine.Shape{31, 33, 1, 1}, 2, engine.Padding{}}, "_phases4_"},
		{convCase{"phases split in depth, stride 3, phases without taps", engine.Shape{2, 100, 7, 9}, engine.Shape{1000, 100, 2, 2}, 3, engine.Pads(0, 1, 1, 0)}, "_phases9_sum"},
	} {
		cases = append(cases, c.convCase)
		kernels[c.name] = c.kernel
	}
	worst := make([]float64, 3)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := engine.NewGraph()
			outs, feeds := c.family(g, rand.New(rand.NewPCG(uint64(i), 9)))
			if part := kernels[c.name]; part != "" {
				op, err := shaders.Compile(outs[1])
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, d := range op.Dispatches {
					names = append(names, d.Kernel.Name)
				}
				if !strings.Contains(strings.Join(names, " "), part) {
					t.Fatalf("the transposed convolution runs %v, none of them %q", names, part)
				}
			}
			got, err := engine.Evaluate(b, outs, feeds)
			if err != nil {
				t.Fatal(err)
			}
			want := backendtest.Reference(outs, feeds)
			for k := range outs {
				if err := backendtest.Compare(got[k], want[k], backendtest.Tolerance{Rel: 1e-4}); err != nil {
					t.Errorf("%s %v: %v", convOpNames[k], outs[k].Shape(), err)
				}
				worst[k] = max(worst[k], convRelErr(got[k], want[k]))
			}
		})
	}
	t.Logf("worst relative errors against the reference: conv2d %.2g, convtranspose %.2g, convfilter %.2g", worst[0], worst[1], worst[2])
}

// TestWebGPUConvModel checks the convolution family at the model's own
// layer shapes (F=64, batch 64) against the CPU backend, whose float32
// sums differ from WebGPU's only in order.
func TestWebGPUConvModel(t *testing.T) {
	if testing.Short() {
		t.Skip("batch-64 layers in -short mode")
	}
	b := openWebGPU(t)
	ref := cpu.New[float32](0)
	same := engine.Pads(1, 1, 2, 2)
	const n, f = 64, 64
	cases := []convCase{
		{"disc.conv1", engine.Shape{n, 3, 64, 64}, engine.Shape{f, 3, 5, 5}, 2, same},
		{"disc.conv2", engine.Shape{n, f, 32, 32}, engine.Shape{2 * f, f, 5, 5}, 2, same},
		{"disc.conv3", engine.Shape{n, 2 * f, 16, 16}, engine.Shape{4 * f, 2 * f, 5, 5}, 2, same},
		{"disc.conv4", engine.Shape{n, 4 * f, 8, 8}, engine.Shape{8 * f, 4 * f, 5, 5}, 2, same},
		{"disc.conv5", engine.Shape{n, 8 * f, 4, 4}, engine.Shape{1, 8 * f, 4, 4}, 1, engine.Padding{}},
		{"gen.tconv1", engine.Shape{n, 4 * f, 8, 8}, engine.Shape{8 * f, 4 * f, 5, 5}, 1, engine.Padding{}},
	}
	worst := make([]float64, 3)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := engine.NewGraph()
			outs, feeds := c.family(g, rand.New(rand.NewPCG(uint64(i), 10)))
			got, err := engine.Evaluate(b, outs, feeds)
			if err != nil {
				t.Fatal(err)
			}
			want, err := engine.Evaluate(ref, outs, feeds)
			if err != nil {
				t.Fatal(err)
			}
			for k := range outs {
				if err := backendtest.Compare(got[k], want[k], backendtest.Tolerance{Rel: 1e-4}); err != nil {
					t.Errorf("%s %v: %v", convOpNames[k], outs[k].Shape(), err)
				}
				worst[k] = max(worst[k], convRelErr(got[k], want[k]))
			}
		})
	}
	t.Logf("worst relative differences from the CPU backend: conv2d %.2g, convtranspose %.2g, convfilter %.2g", worst[0], worst[1], worst[2])
}
