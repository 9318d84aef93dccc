package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/shaders"
	"github.com/wgangp/wgangp/wgan"
)

func runBench(args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "quality" {
		return runBenchQuality(args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "torch" {
		return runBenchTorch(args[1:], stdout)
	}
	fs := newFlags("bench")
	backend := fs.String("backend", "cpu", backendHelp)
	filters := fs.Int("filters", 8, "F of the generator iteration timed")
	batch := fs.Int("batch", 16, "minibatch of the generator iteration timed")
	iters := fs.Int("iterations", 5, "generator iterations timed (after one warm-up)")
	opFilters := fs.Int("op-filters", 64, "F of the layer shapes whose ops are timed (0 skips the ops)")
	opBatch := fs.Int("op-batch", 64, "batch of the layer shapes whose ops are timed")
	profile := fs.Int("profile", 0, "after the timings, as many iterations again, timing each step: the time of each kind of step and of the N slowest steps")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *iters < 1 || *filters < 1 || *batch < 1 || *opBatch < 1 || *opFilters < 0 {
		return fmt.Errorf("--iterations, --filters, --batch and --op-batch must be positive")
	}
	b, err := openBackend(*backend)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	fmt.Fprintf(stdout, "backend: %s\n", b.Name())
	if *opFilters > 0 {
		if err := benchOps(stdout, b, *opFilters, *opBatch); err != nil {
			return err
		}
	}
	return benchIteration(stdout, b, *filters, *batch, *iters, *profile)
}

// layerGeom is one convolution geometry of the model.
type layerGeom struct {
	name   string
	x, w   engine.Shape
	stride int
	pad    engine.Padding
	usedAs string
}

// layerGeoms are the distinct convolution geometries of the model at width
// f and batch n: the discriminator's five convolutions and the generator's
// first transposed convolution (tconv2..4 have the geometries of conv3,
// conv2 and conv1).
func layerGeoms(f, n int) []layerGeom {
	same := engine.Pads(1, 1, 2, 2)
	return []layerGeom{
		{"disc.conv1", engine.Shape{n, 3, 64, 64}, engine.Shape{f, 3, 5, 5}, 2, same, "also gen.tconv4"},
		{"disc.conv2", engine.Shape{n, f, 32, 32}, engine.Shape{2 * f, f, 5, 5}, 2, same, "also gen.tconv3"},
		{"disc.conv3", engine.Shape{n, 2 * f, 16, 16}, engine.Shape{4 * f, 2 * f, 5, 5}, 2, same, "also gen.tconv2"},
		{"disc.conv4", engine.Shape{n, 4 * f, 8, 8}, engine.Shape{8 * f, 4 * f, 5, 5}, 2, same, ""},
		{"disc.conv5", engine.Shape{n, 8 * f, 4, 4}, engine.Shape{1, 8 * f, 4, 4}, 1, engine.Padding{}, ""},
		{"gen.tconv1", engine.Shape{n, 4 * f, 8, 8}, engine.Shape{8 * f, 4 * f, 5, 5}, 1, engine.Padding{}, "as its adjoint conv"},
	}
}

// benchOps prints the GFLOP/s of conv, convtranspose and convfilter at each
// layer geometry.
func benchOps(w io.Writer, b engine.Backend, f, n int) error {
	fmt.Fprintf(w, "convolution family at F=%d, batch %d (GFLOP/s, median of repeated runs):\n", f, n)
	fmt.Fprintf(w, "  %-11s %-20s %9s %9s %9s\n", "layer", "x", "conv", "convT", "filter")
	r := rand.New(rand.NewPCG(1, 2))
	for _, lg := range layerGeoms(f, n) {
		g := engine.NewGraph()
		x, wt := g.Input("x", lg.x...), g.Input("w", lg.w...)
		y := engine.Conv2D(x, wt, lg.stride, lg.pad)
		dy := g.Input("dy", y.Shape()...)
		geom := y.Op().(engine.Conv2DOp).Geom(lg.x, lg.w)
		ops := []*engine.Node{
			y,
			engine.ConvTranspose(dy, wt, lg.stride, lg.pad, lg.x[2], lg.x[3]),
			engine.ConvFilter(x, dy, lg.stride, lg.pad, lg.w[2], lg.w[3]),
		}
		var rates [3]float64
		for i, op := range ops {
			sec, err := timeOp(b, op, r)
			if err != nil {
				return fmt.Errorf("%s: %w", lg.name, err)
			}
			rates[i] = float64(geom.FLOPs()) / sec / 1e9
		}
		fmt.Fprintf(w, "  %-11s %-20v %9.1f %9.1f %9.1f  %s\n", lg.name, lg.x, rates[0], rates[1], rates[2], lg.usedAs)
	}
	return nil
}

// timeOp compiles a plan of one op and returns its median time per run.
func timeOp(b engine.Backend, op *engine.Node, r *rand.Rand) (float64, error) {
	p := engine.NewPlan([]*engine.Node{op}, nil)
	bind := map[*engine.Node]engine.Buffer{}
	for _, in := range p.Inputs {
		buf, err := b.NewBuffer(in.Shape().Size())
		if err != nil {
			return 0, err
		}
		data := make([]float32, buf.Len())
		for i := range data {
			data[i] = float32(2*r.Float64() - 1)
		}
		if err := buf.Write(data); err != nil {
			return 0, err
		}
		bind[in] = buf
	}
	prog, err := b.Compile(p, bind)
	if err != nil {
		return 0, err
	}
	if err := prog.Run(); err != nil { // warm-up
		return 0, err
	}
	var times []float64
	start := time.Now()
	for len(times) < 3 || (time.Since(start) < time.Second && len(times) < 50) {
		t := time.Now()
		if err := prog.Run(); err != nil {
			return 0, err
		}
		// Reading one element waits for devices that run asynchronously.
		if err := prog.Output(0).Read(make([]float32, prog.Output(0).Len())); err != nil {
			return 0, err
		}
		times = append(times, time.Since(t).Seconds())
	}
	return median(times), nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchIteration times generator iterations (Critic D steps and one G step,
// as in training) on random data and prints the median.
func benchIteration(w io.Writer, b engine.Backend, f, n, iters, profile int) error {
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = f, n
	r := rand.New(rand.NewPCG(3, 4))
	t0 := time.Now()
	steps, err := wgan.NewSteps(b, cfg, wgan.Init(f, cfg.Latent, r))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "generator iteration at F=%d, batch %d: built and compiled in %.2f s\n", f, n, time.Since(t0).Seconds())
	if err := printPlans(w, b, steps, cfg.Critic); err != nil {
		return err
	}
	in := wgan.NewStepInputs(cfg)
	fill := func() { in.Random(r) }
	// iteration runs Critic D steps and a G step, as the trainer does (the
	// D losses read after the last), and returns its time.
	iteration := func() (sec float64, dl wgan.DLosses, lg float32, err error) {
		t := time.Now()
		for range cfg.Critic {
			fill()
			if err = steps.TrainD(in.X, in.Z, in.Eps); err != nil {
				return
			}
		}
		if dl, err = steps.ReadDLosses(); err != nil {
			return
		}
		fill()
		if lg, err = steps.GStep(in.Z); err != nil {
			return
		}
		return time.Since(t).Seconds(), dl, lg, nil
	}
	var times []float64
	for it := 0; it <= iters; it++ {
		sec, dl, lg, err := iteration()
		if err != nil {
			return err
		}
		label := "warm-up"
		if it > 0 {
			times = append(times, sec)
			label = fmt.Sprintf("%d", it)
		}
		fmt.Fprintf(w, "  iteration %-7s %.3f s  lossD %.4f  lossD_unregularized %.4f  lossG %.4f\n", label, sec, dl.LossD, dl.LossDUnreg, lg)
	}
	fmt.Fprintf(w, "generator iteration: %.3f s (median of %d)\n", median(times), len(times))
	if profile > 0 {
		// Timing steps one by one slows a GPU's (each is waited for), so
		// the profile has iterations of its own, after the timed ones.
		prof, err := newStepProfile(steps, cfg.Critic)
		if err != nil {
			return err
		}
		prof.start()
		for range iters {
			if _, _, _, err := iteration(); err != nil {
				return err
			}
		}
		prof.print(w, iters, profile)
	}
	return nil
}

// planFigures are what each run of a plan runs: its steps (reshapes, which
// run nothing, and the constant steps, which run once, aside), the WebGPU
// dispatches and distinct kernels of those steps (from the WGSL emitter,
// so they are known on any machine) and the bytes of the values the steps
// write (a fused group's interior values are never written).
type planFigures struct {
	steps, dispatches, kernels int
	bytes                      int64
}

func figuresOf(p *engine.Plan) (planFigures, error) {
	var f planFigures
	sources := map[string]bool{}
	for _, n := range p.Steps[p.Init:] { // the constant steps run once, at compile
		if _, ok := n.Op().(engine.ReshapeOp); ok {
			continue
		}
		f.steps++
		if _, ok := n.Op().(engine.Effect); !ok {
			f.bytes += 4 * int64(n.Shape().Size())
		}
		op, err := shaders.Compile(n)
		if err != nil {
			return f, err
		}
		f.dispatches += len(op.Dispatches)
		for _, d := range op.Dispatches {
			sources[d.Kernel.Source] = true
		}
	}
	f.kernels = len(sources)
	return f, nil
}

func (f planFigures) String() string {
	return fmt.Sprintf("%d steps, %d dispatches, %d distinct kernels, %.1f MB of intermediate values",
		f.steps, f.dispatches, f.kernels, float64(f.bytes)/1e6)
}

// printPlans prints the figures of the D and G steps as b plans them and
// unfused, and the dispatches of a generator iteration (critic D steps and
// a G step).
func printPlans(w io.Writer, b engine.Backend, s *wgan.Steps, critic int) error {
	opts := engine.PlanOptionsFor(b)
	label := "fused"
	if opts.Unfused {
		label = "unfused (WGANGP_FUSION=off)"
	} else if opts.Recompute > 1 {
		label = fmt.Sprintf("fused, values recomputed by up to %d kernels", opts.Recompute)
	}
	var iter [2]int
	for i, o := range []engine.PlanOptions{opts, {Unfused: true}} {
		d, g := s.Plans(o)
		fd, err := figuresOf(d)
		if err != nil {
			return err
		}
		fg, err := figuresOf(g)
		if err != nil {
			return err
		}
		iter[i] = critic*fd.dispatches + fg.dispatches
		suffix := ""
		if i == 1 {
			suffix, label = " unfused", "every op its own step"
		}
		fmt.Fprintf(w, "D step%s: %v (%s)\n", suffix, fd, label)
		fmt.Fprintf(w, "G step%s: %v\n", suffix, fg)
	}
	fmt.Fprintf(w, "dispatches per generator iteration (%d D steps and a G step): %d, unfused %d\n", critic, iter[0], iter[1])
	return nil
}
