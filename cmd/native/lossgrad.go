package main

import (
	"fmt"
	"io"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

func runLossGrad(args []string, stdout io.Writer) error {
	fs := newFlags("lossgrad")
	weights := fs.String("weights", "", "weights file (safetensors, SPEC.md §6 names and PyTorch layouts)")
	inputs := fs.String("inputs", "", "inputs file: x [N,3,64,64], z [N,Z], epsilon [N], lambda [1] (float32)")
	out := fs.String("out", "", "output file to write (safetensors)")
	backend := fs.String("backend", "cpu", backendHelp)
	if err := fs.Parse(args); err != nil {
		return usage(err)
	}
	if *weights == "" || *inputs == "" || *out == "" {
		fs.Usage()
		return usage(fmt.Errorf("--weights, --inputs and --out are all required"))
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	outs := newOutputs(*weights, *inputs)
	if err := outs.check("--out", *out); err != nil {
		return err
	}
	b, err := openBackend(*backend)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	w, err := safetensors.ReadFile(*weights)
	if err != nil {
		return err
	}
	in, err := safetensors.ReadFile(*inputs)
	if err != nil {
		return err
	}
	res, err := lossGrad(b, w, in)
	if err != nil {
		return err
	}
	if err := outs.safetensors("--out", *out, res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "lossD %.7g  lossD_unregularized %.7g  gradient_penalty %.7g  lossG %.7g\nwrote %s (%d tensors, backend %s)\n",
		first(res, "lossD"), first(res, "lossD_unregularized"), first(res, "gradient_penalty"), first(res, "lossG"),
		q(*out), len(res.Tensors), b.Name())
	return nil
}

func first(f *safetensors.File, name string) float32 {
	t, _ := f.Get(name)
	return t.Data[0]
}

// lossGrad evaluates the losses of SPEC.md §3 and their gradients for the
// weights w and the inputs in, on b.
func lossGrad(b engine.Backend, w, in *safetensors.File) (*safetensors.File, error) {
	f, z, err := wgan.SizeOf(w, false)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	x, ok := in.Get("x")
	if !ok || len(x.Shape) != 4 || x.Shape[0] < 1 || x.Shape[1] != wgan.Channels || x.Shape[2] != wgan.Size || x.Shape[3] != wgan.Size {
		return nil, fmt.Errorf("inputs: x must be [N 3 64 64], got %s", describe(x, ok))
	}
	n := x.Shape[0]
	if err := in.Check(inputsSpec(n, z), ""); err != nil {
		return nil, fmt.Errorf("inputs (N=%d from x, Z=%d from the weights): %w", n, z, err)
	}
	lambda, _ := in.Get("lambda")
	l := wgan.BuildLosses(wgan.Config{Filters: f, Latent: z, Batch: n, Lambda: float64(lambda.Data[0])})

	feeds := map[*engine.Node][]float64{}
	feed := func(node *engine.Node, file *safetensors.File, name string) {
		t, _ := file.Get(name)
		v := make([]float64, len(t.Data))
		for i, e := range t.Data {
			v[i] = float64(e)
		}
		feeds[node] = v
	}
	feed(l.X, in, "x")
	feed(l.Z, in, "z")
	feed(l.Eps, in, "epsilon")
	for i, p := range l.GenSpecs {
		feed(l.GenParams[i], w, p.Name)
	}
	for i, p := range l.DiscSpecs {
		feed(l.DiscParams[i], w, p.Name)
	}

	type named struct {
		name string
		node *engine.Node
	}
	outs := []named{
		{"lossD", l.LossD}, {"lossD_unregularized", l.LossDUnreg}, {"gradient_penalty", l.Penalty},
		{"lossG", l.LossG}, {"d_real", l.DReal}, {"d_fake", l.DFake}, {"fake", l.Fake},
	}
	for i, p := range l.DiscSpecs {
		outs = append(outs, named{"grad." + p.Name, l.GradD[i]})
	}
	for i, p := range l.GenSpecs {
		outs = append(outs, named{"grad." + p.Name, l.GradG[i]})
	}
	nodes := make([]*engine.Node, len(outs))
	for i, o := range outs {
		nodes[i] = o.node
	}
	vals, err := engine.Evaluate(b, nodes, feeds)
	if err != nil {
		return nil, err
	}
	res := &safetensors.File{Metadata: map[string]string{"backend": b.Name()}}
	for i, o := range outs {
		data := make([]float32, len(vals[i]))
		for j, v := range vals[i] {
			data[j] = float32(v)
		}
		res.Add(o.name, o.node.Shape(), data)
	}
	return res, nil
}

// inputsSpec is what lossgrad's inputs file holds for n samples and latent
// size z.
func inputsSpec(n, z int) safetensors.Spec {
	return safetensors.Spec{
		"x":       {n, wgan.Channels, wgan.Size, wgan.Size},
		"z":       {n, z},
		"epsilon": {n},
		"lambda":  {1},
	}
}

// outputsSpec is what lossgrad writes for a model of width f and latent
// size z on n samples.
func outputsSpec(f, z, n int) safetensors.Spec {
	s := safetensors.Spec{
		"lossD": {1}, "lossD_unregularized": {1}, "gradient_penalty": {1}, "lossG": {1},
		"d_real": {n}, "d_fake": {n}, "fake": {n, wgan.Channels, wgan.Size, wgan.Size},
	}
	for _, p := range wgan.Params(f, z) {
		s["grad."+p.Name] = p.Shape
	}
	return s
}

func describe(t safetensors.Tensor, ok bool) string {
	if !ok {
		return "no tensor x"
	}
	return fmt.Sprint(t.Shape)
}
