package shaders

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

// fusedExample is the fused kernel that the planner makes of the ops that
// build makes: Build plans them fused and returns the plan's one step, a
// FusedOp node (it panics if the plan is anything else, so that a change
// of the fusion pass cannot turn an example into something it was not).
func fusedExample(name string, build func(g *engine.Graph) *engine.Node) Example {
	return planExample("fused "+name, engine.PlanOptions{}, build)
}

// coreExample is fusedExample for a contraction with the elementwise ops
// after it as its epilogue (PlanOptions.CoreEpilogue).
func coreExample(name string, build func(g *engine.Graph) *engine.Node) Example {
	return planExample("core "+name, engine.PlanOptions{CoreEpilogue: true}, build)
}

func planExample(name string, opts engine.PlanOptions, build func(g *engine.Graph) *engine.Node) Example {
	return Example{
		Name: name,
		Build: func(g *engine.Graph) *engine.Node {
			p := engine.NewPlanWith([]*engine.Node{build(g)}, nil, opts)
			if len(p.Steps) != 1 {
				panic(fmt.Sprintf("shaders: fused example %s plans as %d steps %v", name, len(p.Steps), p.Steps))
			}
			n := p.Steps[0]
			if _, ok := n.Op().(engine.FusedOp); !ok {
				panic(fmt.Sprintf("shaders: fused example %s plans as %v", name, n))
			}
			return n
		},
		Unfused: build,
		Options: opts,
	}
}

// fusedExamples are groups as the model's graphs have them: a bias and an
// activation, the layer norm's (per-sample and per-channel broadcasts,
// rsqrt), reductions with a prologue (serial, one pass and multi-pass) and
// an epilogue, a group of 7 inputs, a reshape inside one, constants, and
// contractions with the ops after them as their epilogue; each also as a
// software adapter gets it (its small inputs uniform, its contractions
// direct).
func fusedExamples() []Example {
	in := func(g *engine.Graph, name string, s ...int) *engine.Node { return g.Input(name, s...) }
	return withDirect([]Example{
		fusedExample("bias leakyrelu", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 4, 64, 16, 16)
			b := engine.Reshape(in(g, "b", 64), 1, 64, 1, 1)
			return engine.LeakyRelu(engine.Add(x, b), 0.2)
		}),
		// y = leaky((x - μ[n])·r[n]·γ[c] + β[c]), as wgan's layerNorm and the
		// activation after it.
		fusedExample("layernorm apply", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 4, 32, 8, 8)
			mu, r := in(g, "mu", 4, 1, 1, 1), in(g, "r", 4, 1, 1, 1)
			gamma := engine.Reshape(in(g, "gamma", 32), 1, 32, 1, 1)
			beta := engine.Reshape(in(g, "beta", 32), 1, 32, 1, 1)
			return engine.LeakyRelu(engine.Add(engine.Mul(engine.Mul(engine.Sub(x, mu), r), gamma), beta), 0.2)
		}),
		// y = (x - μ[n])·rsqrt(σ²[n] + ε)·γ[c]: the rsqrt of a broadcast value.
		fusedExample("layernorm rsqrt", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 3, 5, 7, 9)
			mu := in(g, "mu", 3, 1, 1, 1)
			v := engine.BroadcastTo(in(g, "var", 3, 1, 1, 1), 3, 5, 7, 9)
			gamma := engine.Reshape(in(g, "gamma", 5), 1, 5, 1, 1)
			return engine.Mul(engine.Mul(engine.Sub(x, mu), engine.Rsqrt(engine.AddConst(v, 1e-5))), gamma)
		}),
		// σ²[n]·CHW = Σ_{c,h,w} (x - μ[n])²: one workgroup per sample.
		fusedExample("layernorm variance", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 4, 32, 8, 8)
			mu := in(g, "mu", 4, 1, 1, 1)
			return engine.SumTo(engine.Square(engine.Sub(x, mu)), 4, 1, 1, 1)
		}),
		// r[n] = rsqrt(Σ_{c,h,w} (x - μ[n])² / CHW + ε): the ops after the sum
		// are the kernel's epilogue.
		fusedExample("layernorm rstd", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 4, 32, 8, 8)
			mu := in(g, "mu", 4, 1, 1, 1)
			v := engine.Scale(engine.SumTo(engine.Square(engine.Sub(x, mu)), 4, 1, 1, 1), 1.0/2048)
			return engine.Rsqrt(engine.AddConst(v, 1e-5))
		}),
		// The gradient penalty per sample, weighted: w[n]·(√(Σ_{c,h,w} g² + ε)
		// - 1)², multi-pass, the epilogue (reading w) in the last pass.
		fusedExample("penalty", func(g *engine.Graph) *engine.Node {
			norm := engine.Sqrt(engine.AddConst(engine.SumTo(engine.Square(in(g, "g", 64, 3, 64, 64)), 64, 1, 1, 1), 1e-12))
			return engine.Mul(engine.Square(engine.AddConst(norm, -1)), in(g, "w", 64, 1, 1, 1))
		}),
		// Σ_{c,h,w} g² per sample of the images' gradient at batch 16: a
		// small reduction, one pass of a workgroup a sample.
		fusedExample("sum of squares", func(g *engine.Graph) *engine.Node {
			return engine.SumTo(engine.Square(in(g, "g", 16, 3, 64, 64)), 16, 1, 1, 1)
		}),
		// The bias gradient through a leaky ReLU: Σ_{n,h,w} dy·mask(x) per
		// channel, multi-pass.
		fusedExample("bias gradient", func(g *engine.Graph) *engine.Node {
			dy, x := in(g, "dy", 16, 64, 32, 32), in(g, "x", 16, 64, 32, 32)
			return engine.SumTo(engine.Mul(dy, engine.LeakyMask(x, 0.2)), 1, 64, 1, 1)
		}),
		// A dense layer's bias gradient: 16 summands per output, serial.
		fusedExample("rows gradient", func(g *engine.Graph) *engine.Node {
			dy, y := in(g, "dy", 16, 512), in(g, "y", 16, 512)
			return engine.SumTo(engine.Mul(dy, engine.AddConst(engine.Scale(engine.Square(y), -1), 1)), 1, 512)
		}),
		fusedExample("seven inputs", func(g *engine.Graph) *engine.Node {
			a, b, c := in(g, "a", 5, 7, 9), in(g, "b", 5, 7, 9), in(g, "c", 5, 7, 9)
			d, e := engine.BroadcastTo(in(g, "d", 5, 1, 9), 5, 7, 9), in(g, "e", 1, 7, 1)
			f, h := in(g, "f", 5, 7, 9), in(g, "h", 1, 1, 1)
			t := engine.Add(engine.Mul(a, b), engine.Div(c, engine.AddConst(engine.Square(d), 0.5)))
			return engine.Sigmoid(engine.Sub(engine.Mul(t, e), engine.Mul(f, h)))
		}),
		// A reshape inside the group and a broadcast read through one.
		fusedExample("reshape", func(g *engine.Graph) *engine.Node {
			x, y := in(g, "x", 6, 40), in(g, "y", 240)
			s := engine.Reshape(engine.BroadcastTo(in(g, "s", 1, 40), 6, 40), 240)
			return engine.Add(engine.Reshape(engine.Tanh(engine.Mul(x, x)), 240), engine.Mul(y, s))
		}),
		// Contractions storing through their epilogues: split in depth (the
		// epilogue in the pass over the splits), by phases (each split in
		// depth), by columns (in the gather), a direct one, a matrix product.
		coreExample("conv2d bias leakyrelu", func(g *engine.Graph) *engine.Node {
			y := engine.Conv2D(in(g, "x", 4, 64, 32, 32), in(g, "w", 128, 64, 5, 5), 2, engine.Pads(1, 1, 2, 2))
			return engine.LeakyRelu(engine.Add(y, engine.Reshape(in(g, "b", 128), 1, 128, 1, 1)), 0.2)
		}),
		coreExample("convtranspose mask", func(g *engine.Graph) *engine.Node {
			dx := engine.ConvTranspose(in(g, "dy", 2, 32, 8, 8), in(g, "w", 32, 16, 5, 5), 2, engine.Pads(1, 1, 2, 2), 16, 16)
			return engine.Mul(dx, engine.LeakyMask(in(g, "x", 2, 16, 16, 16), 0.2))
		}),
		coreExample("convtranspose columns bias relu", func(g *engine.Graph) *engine.Node {
			y := engine.ConvTranspose(in(g, "z", 2, 64, 4, 4), in(g, "w", 64, 32, 5, 5), 1, engine.Padding{}, 8, 8)
			return engine.Relu(engine.Add(y, engine.Reshape(in(g, "b", 32), 1, 32, 1, 1)))
		}),
		coreExample("convfilter scale add", func(g *engine.Graph) *engine.Node {
			dw := engine.ConvFilter(in(g, "x", 1, 3, 7, 9), in(g, "dy", 1, 5, 7, 9), 1, engine.Pads(1, 1, 1, 1), 3, 3)
			return engine.Add(engine.Scale(dw, 0.5), in(g, "o", 5, 3, 3, 3))
		}),
		coreExample("matmul bias tanh", func(g *engine.Graph) *engine.Node {
			y := engine.MatMul(in(g, "a", 17, 100), in(g, "b", 33, 100), false, true)
			return engine.Tanh(engine.Add(y, engine.Reshape(in(g, "bias", 33), 1, 33)))
		}),
		fusedExample("constants", func(g *engine.Graph) *engine.Node {
			x := in(g, "x", 1000)
			y := engine.Sub(engine.Scale(x, -1.75), engine.Fill(g, -1.5, 1000))
			return engine.Mul(engine.Add(y, engine.Fill(g, 0.5, 1000)), engine.Relu(x))
		}),
	})
}
