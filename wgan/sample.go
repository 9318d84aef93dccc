package wgan

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
)

// Sampler runs the generator alone on n latents at a time: the validation
// grid during training, and `generate` from a weights file.
type Sampler struct {
	N, Latent int
	z, out    engine.Buffer
	prog      engine.Program
	own       map[string]engine.Buffer // the parameters NewSampler uploaded (nil for Steps.Sampler's)
}

// newSampler compiles G for n latents, reading the parameters from params
// (buffers by parameter name).
func newSampler(b engine.Backend, f, z, n int, params map[string]engine.Buffer) (*Sampler, error) {
	g := engine.NewGraph()
	m := newNet(g, f, z)
	zn := g.Input("z", n, z)
	p := engine.NewPlanFor(b, []*engine.Node{m.generator(zn)}, nil)
	s := &Sampler{N: n, Latent: z}
	var err error
	if s.z, err = b.NewBuffer(n * z); err != nil {
		return nil, err
	}
	bind := map[*engine.Node]engine.Buffer{zn: s.z}
	for _, in := range p.Inputs {
		if in == zn {
			continue
		}
		buf, ok := params[inputName(in)]
		if !ok {
			return nil, fmt.Errorf("no buffer for %s", inputName(in))
		}
		bind[in] = buf
	}
	if s.prog, err = b.Compile(p, bind); err != nil {
		s.z.Release()
		return nil, fmt.Errorf("compiling the generator: %w", err)
	}
	s.out = s.prog.Output(0)
	return s, nil
}

// Sampler returns a generator for n latents at a time that reads the
// current weights of s (it sees every later update).
func (s *Steps) Sampler(n int) (*Sampler, error) {
	return newSampler(s.Backend, s.Config.Filters, s.Config.Latent, n, s.bufs)
}

// EMASampler is Sampler for the moving average of the generator's
// weights (Config.EMA > 0): it sees every later update of the average.
func (s *Steps) EMASampler(n int) (*Sampler, error) {
	if !s.HasEMA() {
		return nil, fmt.Errorf("the steps keep no moving average (Config.EMA is 0)")
	}
	params := map[string]engine.Buffer{}
	for _, p := range GenParams(s.Config.Filters, s.Config.Latent) {
		params[p.Name] = s.bufs[EMAPrefix+p.Name]
	}
	return newSampler(s.Backend, s.Config.Filters, s.Config.Latent, n, params)
}

// NewSampler uploads the generator's weights from w, a weights file or a
// checkpoint, and compiles G for n latents at a time.
func NewSampler(b engine.Backend, w *safetensors.File, n int) (*Sampler, error) {
	f, z, err := SizeOf(w, true)
	if err != nil {
		return nil, err
	}
	params := map[string]engine.Buffer{}
	for _, p := range GenParams(f, z) {
		t, _ := w.Get(p.Name)
		buf, err := b.NewBuffer(len(t.Data))
		if err != nil {
			return nil, err
		}
		if err := buf.Write(t.Data); err != nil {
			return nil, err
		}
		params[p.Name] = buf
	}
	s, err := newSampler(b, f, z, n, params)
	if err != nil {
		for _, buf := range params {
			buf.Release()
		}
		return nil, err
	}
	s.own = params
	return s, nil
}

// Close frees the sampler's program and buffers on its backend (the
// parameters too, for NewSampler's; a Steps' sampler leaves the steps'
// alone). The sampler must not be used afterwards.
func (s *Sampler) Close() {
	if s.prog != nil {
		s.prog.Release()
	}
	if s.z != nil {
		s.z.Release()
	}
	for _, buf := range s.own {
		buf.Release()
	}
	s.prog, s.z, s.out, s.own = nil, nil, nil, nil
}

// Sample writes G(z) for z [N,Z] into dst [N,3,64,64].
func (s *Sampler) Sample(dst, z []float32) error {
	if s.prog == nil {
		return fmt.Errorf("sample: the sampler is closed")
	}
	if len(z) != s.N*s.Latent || len(dst) != s.N*Channels*Size*Size {
		return fmt.Errorf("sample: %d latents and %d outputs for a sampler of %d×%d", len(z), len(dst), s.N, s.Latent)
	}
	if err := s.z.Write(z); err != nil {
		return err
	}
	if err := s.prog.Run(); err != nil {
		return err
	}
	return s.out.Read(dst)
}
