package wgan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/safetensors"
)

// perturbed returns initialised weights moved off their initial values
// (layer norm scales and offsets, biases), so every parameter matters.
func perturbed(f, z int, r *rand.Rand) *safetensors.File {
	w := Init(f, z, r)
	for i := range w.Tensors {
		for j := range w.Tensors[i].Data {
			w.Tensors[i].Data[j] += float32(0.05 * r.NormFloat64())
		}
	}
	return w
}

func TestParamShapes(t *testing.T) {
	want := map[string][]int{
		"gen.project.weight": {4 * 4 * 8 * 64, 100},
		"gen.project.bias":   {4 * 4 * 8 * 64},
		"gen.tconv1.weight":  {512, 256, 5, 5},
		"gen.tconv4.weight":  {64, 3, 5, 5},
		"gen.tconv4.bias":    {3},
		"disc.conv1.weight":  {64, 3, 5, 5},
		"disc.conv4.weight":  {512, 256, 5, 5},
		"disc.conv5.weight":  {1, 512, 4, 4},
		"disc.conv5.bias":    {1},
		"disc.norm2.weight":  {128},
		"disc.norm4.bias":    {512},
	}
	spec := Spec(64, 100)
	if len(spec) != 10+10+6 {
		t.Errorf("%d parameters, want 26", len(spec))
	}
	for name, shape := range want {
		if !engine.Shape(spec[name]).Equal(shape) {
			t.Errorf("%s: %v, want %v", name, spec[name], shape)
		}
	}
}

func TestInit(t *testing.T) {
	w := Init(8, 100, rand.New(rand.NewPCG(1, 1)))
	for _, tn := range w.Tensors {
		switch {
		case isNorm(tn.Name) && isWeight(tn.Name):
			for _, v := range tn.Data {
				if v != 1 {
					t.Fatalf("%s: %v, want ones", tn.Name, v)
				}
			}
		case !isWeight(tn.Name):
			for _, v := range tn.Data {
				if v != 0 {
					t.Fatalf("%s: %v, want zeros", tn.Name, v)
				}
			}
		default:
			fan := tn.Shape[0] + tn.Shape[1]
			for _, d := range tn.Shape[2:] {
				fan *= d
			}
			bound := math.Sqrt(6 / float64(fan))
			var lo, hi float64
			for _, v := range tn.Data {
				lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
			}
			// Uniform in ±bound: the extremes come within 5% of the bound.
			if hi > bound || lo < -bound || hi < 0.95*bound || lo > -0.95*bound {
				t.Errorf("%s: values in [%g, %g], want uniform in ±%g", tn.Name, lo, hi, bound)
			}
		}
	}
	f, z, err := SizeOf(w, false)
	if err != nil || f != 8 || z != 100 {
		t.Fatalf("SizeOf: F=%d Z=%d %v", f, z, err)
	}
}

// TestLossGradientsByFiniteDifferences checks ∂lossD/∂D (through the
// penalty's second derivative) and ∂lossG/∂G against central differences
// in float64 at F=4, batch 2, for random entries of every parameter, for
// the example's critic and the paper's (Linear: no sigmoid).
func TestLossGradientsByFiniteDifferences(t *testing.T) {
	for _, linear := range []bool{false, true} {
		t.Run(fmt.Sprintf("linear=%v", linear), func(t *testing.T) { testLossGradients(t, linear) })
	}
}

func testLossGradients(t *testing.T, linear bool) {
	const f, z, n = 4, 100, 2
	r := rand.New(rand.NewPCG(5, 6))
	l := BuildLosses(Config{Filters: f, Latent: z, Batch: n, Lambda: 10, Linear: linear})
	b := cpu.New[float64](0)
	w := perturbed(f, z, r)

	bufs := map[*engine.Node]engine.Buffer{}
	set := func(node *engine.Node, data []float64) {
		buf, ok := bufs[node]
		if !ok {
			var err error
			if buf, err = b.NewBuffer(len(data)); err != nil {
				t.Fatal(err)
			}
			bufs[node] = buf
		}
		if err := buf.WriteFloat64(data); err != nil {
			t.Fatal(err)
		}
	}
	host := map[*engine.Node][]float64{}
	params := append(append([]*engine.Node{}, l.GenParams...), l.DiscParams...)
	specs := append(append([]Param{}, l.GenSpecs...), l.DiscSpecs...)
	for i, p := range params {
		tn, _ := w.Get(specs[i].Name)
		v := make([]float64, len(tn.Data))
		for j, e := range tn.Data {
			v[j] = float64(e)
		}
		host[p] = v
		set(p, v)
	}
	x := make([]float64, n*3*64*64)
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	zs := make([]float64, n*z)
	for i := range zs {
		zs[i] = r.NormFloat64()
	}
	set(l.X, x)
	set(l.Z, zs)
	set(l.Eps, []float64{0.3, 0.8})

	outs := append([]*engine.Node{l.LossD, l.LossG, l.Penalty}, append(append([]*engine.Node{}, l.GradD...), l.GradG...)...)
	prog, err := b.Compile(engine.NewPlan(outs, nil), bufs)
	if err != nil {
		t.Fatal(err)
	}
	read := func(i int) []float64 {
		v := make([]float64, prog.Output(i).Len())
		if err := prog.Output(i).ReadFloat64(v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	if gp := read(2)[0]; !(gp > 1e-3) {
		t.Fatalf("penalty %g: too small for the check to mean anything", gp)
	}
	grads := map[*engine.Node][]float64{}
	for i, p := range l.DiscParams {
		grads[p] = read(3 + i)
	}
	for i, p := range l.GenParams {
		grads[p] = read(3 + len(l.DiscParams) + i)
	}

	// Small enough that a leaky ReLU kink is rarely crossed (a bias moves a
	// whole channel), large enough for float64 rounding.
	const h = 1e-7
	check := func(p *engine.Node, name string, loss int) {
		v := host[p]
		for range 3 {
			j := r.IntN(len(v))
			old := v[j]
			eval := func(x float64) float64 {
				v[j] = x
				set(p, v)
				if err := prog.Run(); err != nil {
					t.Fatal(err)
				}
				return read(loss)[0]
			}
			num := (eval(old+h) - eval(old-h)) / (2 * h)
			v[j] = old
			set(p, v)
			got := grads[p][j]
			if math.Abs(got-num) > 1e-6+1e-4*math.Abs(num) {
				t.Errorf("%s[%d]: Grad %.10g, finite differences %.10g", name, j, got, num)
			}
		}
	}
	for i, p := range l.DiscParams {
		check(p, l.DiscSpecs[i].Name+" (lossD)", 0)
	}
	for i, p := range l.GenParams {
		check(p, l.GenSpecs[i].Name+" (lossG)", 1)
	}
}

// TestLinearCritic checks that the paper's critic scores what the
// example's passes through its sigmoid: σ(D_linear(x)) = D(x), same weights.
func TestLinearCritic(t *testing.T) {
	const f, z, n = 4, 8, 3
	r := rand.New(rand.NewPCG(7, 8))
	w := perturbed(f, z, r)
	x := make([]float64, n*3*64*64)
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	score := func(linear bool) []float64 {
		l := BuildLosses(Config{Filters: f, Latent: z, Batch: n, Lambda: 10, Linear: linear})
		b := cpu.New[float64](0)
		p := engine.NewPlan([]*engine.Node{l.DReal}, nil)
		bind := map[*engine.Node]engine.Buffer{}
		for _, in := range p.Inputs {
			var data []float64
			if in == l.X {
				data = x
			} else {
				tn, ok := w.Get(in.Op().(engine.InputOp).Name)
				if !ok {
					t.Fatalf("no weights for %v", in)
				}
				for _, e := range tn.Data {
					data = append(data, float64(e))
				}
			}
			buf, err := b.NewBuffer(len(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := buf.WriteFloat64(data); err != nil {
				t.Fatal(err)
			}
			bind[in] = buf
		}
		prog, err := b.Compile(p, bind)
		if err != nil {
			t.Fatal(err)
		}
		if err := prog.Run(); err != nil {
			t.Fatal(err)
		}
		out := make([]float64, n)
		if err := prog.Output(0).ReadFloat64(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	seed, linear := score(false), score(true)
	for i := range seed {
		if s := 1 / (1 + math.Exp(-linear[i])); math.Abs(s-seed[i]) > 1e-12 || math.Abs(linear[i]-seed[i]) < 1e-3 {
			t.Errorf("sample %d: D %v, linear critic %v (σ of it %v)", i, seed[i], linear[i], s)
		}
	}
}

// TestJointCritic checks that the critic's loss scored on one batch of 2N
// (real and generated pictures together, as a GPU backend plans it) gives
// the losses and gradients of two batches of N, in float64, and that the
// joint D step is the smaller plan.
func TestJointCritic(t *testing.T) {
	const f, z, n = 4, 8, 3
	r := rand.New(rand.NewPCG(9, 10))
	w := perturbed(f, z, r)
	data := map[string][]float64{}
	for _, in := range []struct {
		name string
		size int
		lo   float64
	}{{"x", n * 3 * 64 * 64, -1}, {"z", n * z, -1}, {"epsilon", n, 0}} {
		v := make([]float64, in.size)
		for i := range v {
			v[i] = in.lo + (1-in.lo)*r.Float64()
		}
		data[in.name] = v
	}
	run := func(joint bool) ([][]float64, int) {
		l := BuildLossesWith(Config{Filters: f, Latent: z, Batch: n, Lambda: 10}, joint)
		outs := append([]*engine.Node{l.LossD, l.LossDUnreg, l.Penalty, l.DReal}, l.GradD...)
		feeds := map[*engine.Node][]float64{}
		for _, in := range engine.NewPlan(outs, nil).Inputs {
			name := in.Op().(engine.InputOp).Name
			if v, ok := data[name]; ok {
				feeds[in] = v
				continue
			}
			tn, ok := w.Get(name)
			if !ok {
				t.Fatalf("no value for %v", in)
			}
			for _, e := range tn.Data {
				feeds[in] = append(feeds[in], float64(e))
			}
		}
		got, err := engine.Evaluate(cpu.New[float64](0), outs, feeds)
		if err != nil {
			t.Fatal(err)
		}
		d := engine.NewPlanWith(append([]*engine.Node{l.LossD}, l.GradD...), nil, engine.PlanOptions{Recompute: 4, CoreEpilogue: true})
		return got, len(d.Steps)
	}
	sep, sepSteps := run(false)
	joint, jointSteps := run(true)
	for k := range sep {
		for i := range sep[k] {
			if d := math.Abs(sep[k][i] - joint[k][i]); d > 1e-12*(1+math.Abs(sep[k][i])) {
				t.Fatalf("output %d [%d]: two batches %g, one batch %g", k, i, sep[k][i], joint[k][i])
			}
		}
	}
	if jointSteps >= sepSteps {
		t.Errorf("joint D step plans %d steps, two batches %d", jointSteps, sepSteps)
	}
}
