// Package wgan is the model of SPEC.md: the generator and discriminator
// (critic), the WGAN-GP losses, MATLAB's Adam, the planned training steps,
// and the weights file.
package wgan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/safetensors"
)

// Config is the size of the model and the hyperparameters of training.
type Config struct {
	Filters int     // F: width of the networks (the example: 64)
	Latent  int     // Z: size of the latent vector (100)
	Batch   int     // minibatch size (64)
	Lambda  float64 // gradient penalty weight λ (10)
	LRD     float64 // discriminator learning rate (2e-4)
	LRG     float64 // generator learning rate (1e-3)
	Beta1   float64 // Adam gradient decay (0)
	Beta2   float64 // Adam squared gradient decay (0.9)
	Eps     float64 // Adam epsilon (1e-8)
	Critic  int     // discriminator steps per generator step (5)
	// Linear drops the critic's final sigmoid: its score is the last
	// convolution's output (the WGAN-GP paper's critic, Gulrajani et al.
	// 2017); false is the example's.
	Linear bool `json:",omitempty"`
	// EMA is the decay of an exponential moving average of the generator's
	// weights kept beside training (0: none); see Steps.EMAWeights.
	EMA float64 `json:",omitempty"`
}

// SeedConfig is the example's configuration, exactly (SPEC.md §2–4).
func SeedConfig() Config {
	return Config{Filters: 64, Latent: 100, Batch: 64, Lambda: 10,
		LRD: 2e-4, LRG: 1e-3, Beta1: 0, Beta2: 0.9, Eps: 1e-8, Critic: 5}
}

// Recipe describes the critic and the moving average: "the example's
// critic", "the paper's critic (no sigmoid)", with ", EMA 0.999" when
// there is one.
func (c Config) Recipe() string {
	s := "the example's critic"
	if c.Linear {
		s = "the paper's critic (no sigmoid)"
	}
	if c.EMA > 0 {
		s += fmt.Sprintf(", a moving average of the generator (decay %g)", c.EMA)
	}
	return s
}

// Bounds of a configuration: far beyond any run this program is for, and
// small enough that a model's shapes and step counts never overflow or
// make a step that cannot finish. Memory is checked separately
// (MemoryNeeded), against the machine.
const (
	MaxFilters = 1024
	MaxLatent  = 4096
	MaxBatch   = 4096
	MaxCritic  = 100
	MaxLambda  = 1e6
	MaxRate    = 1 // learning rates
)

// Validate reports a configuration that cannot be built or trained, or
// that is out of the bounds above; every number must be finite.
func (c Config) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Filters < 1 || c.Filters > MaxFilters:
		return fmt.Errorf("filters must be in [1, %d], got %d", MaxFilters, c.Filters)
	case c.Latent < 1 || c.Latent > MaxLatent:
		return fmt.Errorf("latent size must be in [1, %d], got %d", MaxLatent, c.Latent)
	case c.Batch < 1 || c.Batch > MaxBatch:
		return fmt.Errorf("batch must be in [1, %d], got %d", MaxBatch, c.Batch)
	case c.Critic < 1 || c.Critic > MaxCritic:
		return fmt.Errorf("critic steps per generator step must be in [1, %d], got %d", MaxCritic, c.Critic)
	case !(c.LRD > 0 && c.LRD <= MaxRate):
		return fmt.Errorf("the discriminator learning rate must be in (0, %g], got %g", float64(MaxRate), c.LRD)
	case !(c.LRG > 0 && c.LRG <= MaxRate):
		return fmt.Errorf("the generator learning rate must be in (0, %g], got %g", float64(MaxRate), c.LRG)
	case !(c.Lambda >= 0 && c.Lambda <= MaxLambda):
		return fmt.Errorf("the gradient penalty weight λ must be in [0, %g], got %g", float64(MaxLambda), c.Lambda)
	case !(c.Beta1 >= 0 && c.Beta1 < 1) || !(c.Beta2 >= 0 && c.Beta2 < 1):
		return fmt.Errorf("Adam decays must be in [0,1), got %g and %g", c.Beta1, c.Beta2)
	case !(c.Eps > 0) || !finite(c.Eps):
		return fmt.Errorf("Adam epsilon must be positive and finite, got %g", c.Eps)
	case !(c.EMA >= 0 && c.EMA < 1):
		return fmt.Errorf("the moving average's decay must be in [0,1) (0: none), got %g", c.EMA)
	}
	return nil
}

// Image geometry: 3×64×64, values in [-1,1].
const (
	Channels = 3
	Size     = 64
)

// Model constants of SPEC.md.
const (
	leak      = 0.2   // leaky ReLU scale
	normEps   = 1e-5  // layer norm epsilon
	normGPEps = 1e-10 // inside the square root of the penalty's gradient norm
)

// Param is one parameter tensor: its name in the weights file and its
// PyTorch shape.
type Param struct {
	Name  string
	Shape engine.Shape
}

// GenParams lists the generator's parameters in file order.
func GenParams(f, z int) []Param {
	ps := []Param{
		{"gen.project.weight", engine.Shape{16 * 8 * f, z}},
		{"gen.project.bias", engine.Shape{16 * 8 * f}},
	}
	ch := []int{8 * f, 4 * f, 2 * f, f, Channels}
	for k := 1; k <= 4; k++ {
		ps = append(ps,
			Param{fmt.Sprintf("gen.tconv%d.weight", k), engine.Shape{ch[k-1], ch[k], 5, 5}},
			Param{fmt.Sprintf("gen.tconv%d.bias", k), engine.Shape{ch[k]}})
	}
	return ps
}

// DiscParams lists the discriminator's parameters in file order.
func DiscParams(f int) []Param {
	ch := []int{Channels, f, 2 * f, 4 * f, 8 * f, 1}
	var ps []Param
	for k := 1; k <= 5; k++ {
		kernel := 5
		if k == 5 {
			kernel = 4
		}
		ps = append(ps,
			Param{fmt.Sprintf("disc.conv%d.weight", k), engine.Shape{ch[k], ch[k-1], kernel, kernel}},
			Param{fmt.Sprintf("disc.conv%d.bias", k), engine.Shape{ch[k]}})
		if k >= 2 && k <= 4 {
			ps = append(ps,
				Param{fmt.Sprintf("disc.norm%d.weight", k), engine.Shape{ch[k]}},
				Param{fmt.Sprintf("disc.norm%d.bias", k), engine.Shape{ch[k]}})
		}
	}
	return ps
}

// Params lists every parameter, generator first, in file order.
func Params(f, z int) []Param { return append(GenParams(f, z), DiscParams(f)...) }

// Init returns freshly initialised weights (MATLAB defaults): Glorot
// uniform weights with fan_in + fan_out = (in + out)·kh·kw, zero biases,
// layer norm scales 1 and offsets 0. Draws follow Params order.
func Init(f, z int, r *rand.Rand) *safetensors.File {
	w := &safetensors.File{}
	for _, p := range Params(f, z) {
		data := make([]float32, p.Shape.Size())
		switch {
		case isNorm(p.Name) && isWeight(p.Name):
			for i := range data {
				data[i] = 1
			}
		case isWeight(p.Name) && !isNorm(p.Name):
			fan := p.Shape[0] + p.Shape[1]
			for _, d := range p.Shape[2:] {
				fan *= d
			}
			bound := math.Sqrt(6 / float64(fan))
			for i := range data {
				data[i] = float32((2*r.Float64() - 1) * bound)
			}
		}
		w.Add(p.Name, p.Shape, data)
	}
	return w
}

func isWeight(name string) bool { return len(name) > 7 && name[len(name)-7:] == ".weight" }
func isNorm(name string) bool   { return len(name) > 9 && name[:9] == "disc.norm" }

// Spec is what a weights file of this size must hold.
func Spec(f, z int) safetensors.Spec {
	s := safetensors.Spec{}
	for _, p := range Params(f, z) {
		s[p.Name] = p.Shape
	}
	return s
}

// SizeOf reads F and Z from the shapes in a weights file (gen.project.weight
// is [16·8F, Z]) and checks every tensor against them. With checkpoint, the
// extra tensors of a checkpoint (Adam's moments, the trainer's history) are
// allowed too.
func SizeOf(w *safetensors.File, checkpoint bool) (f, z int, err error) {
	t, ok := w.Get("gen.project.weight")
	if !ok {
		return 0, 0, fmt.Errorf("no tensor gen.project.weight: is this a weights file of this model?")
	}
	if len(t.Shape) != 2 || t.Shape[0]%128 != 0 || t.Shape[0] == 0 || t.Shape[1] < 1 {
		return 0, 0, fmt.Errorf("gen.project.weight: shape %v, expected [128·F Z]", t.Shape)
	}
	f, z = t.Shape[0]/128, t.Shape[1]
	model := w
	if checkpoint {
		model = &safetensors.File{Metadata: w.Metadata}
		for _, t := range w.Tensors {
			if !strings.HasPrefix(t.Name, MomentPrefix) && !strings.HasPrefix(t.Name, SquarePrefix) && !strings.HasPrefix(t.Name, EMAPrefix) && !strings.HasPrefix(t.Name, TrainerPrefix) {
				model.Tensors = append(model.Tensors, t)
			}
		}
	}
	if err := model.Check(Spec(f, z), ""); err != nil {
		return 0, 0, fmt.Errorf("weights for F=%d, Z=%d: %w", f, z, err)
	}
	return f, z, nil
}

// net builds the networks on one graph, with each parameter an input named
// as in the weights file.
type net struct {
	g    *engine.Graph
	f, z int
	shp  map[string]engine.Shape
}

func newNet(g *engine.Graph, f, z int) *net {
	n := &net{g: g, f: f, z: z, shp: map[string]engine.Shape{}}
	for _, p := range Params(f, z) {
		n.shp[p.Name] = p.Shape
	}
	return n
}

func (n *net) param(name string) *engine.Node { return n.g.Input(name, n.shp[name]...) }

// bias adds a per-channel bias to an NCHW tensor.
func (n *net) bias(x *engine.Node, name string) *engine.Node {
	c := x.Shape()[1]
	return engine.Add(x, engine.Reshape(n.param(name), 1, c, 1, 1))
}

// same is MATLAB's "same" padding (and cropping) of a 5×5 stride-2 layer.
var same = engine.Pads(1, 1, 2, 2)

// generator maps z [N,Z] to images [N,3,64,64] in (-1,1).
func (n *net) generator(z *engine.Node) *engine.Node {
	batch := z.Shape()[0]
	h := engine.MatMul(z, n.param("gen.project.weight"), false, true) // [N, 16·8F]
	h = engine.Add(h, engine.Reshape(n.param("gen.project.bias"), 1, 16*8*n.f))
	h = engine.Reshape(h, batch, 8*n.f, 4, 4)
	tconv := func(h *engine.Node, k, stride int, pad engine.Padding, size int) *engine.Node {
		w := n.param(fmt.Sprintf("gen.tconv%d.weight", k))
		return n.bias(engine.ConvTranspose(h, w, stride, pad, size, size), fmt.Sprintf("gen.tconv%d.bias", k))
	}
	h = engine.Relu(tconv(h, 1, 1, engine.Padding{}, 8))
	h = engine.Relu(tconv(h, 2, 2, same, 16))
	h = engine.Relu(tconv(h, 3, 2, same, 32))
	return engine.Tanh(tconv(h, 4, 2, same, 64))
}

// layerNorm normalises each sample over (C,H,W), then scales and offsets
// each channel: y = (x-μ)/√(σ²+ε)·γ[c] + β[c].
func (n *net) layerNorm(x *engine.Node, k int) *engine.Node {
	c := x.Shape()[1]
	xc := engine.Sub(x, engine.Mean(x, 1, 2, 3))
	r := engine.Rsqrt(engine.AddConst(engine.Mean(engine.Square(xc), 1, 2, 3), normEps))
	gamma := engine.Reshape(n.param(fmt.Sprintf("disc.norm%d.weight", k)), 1, c, 1, 1)
	beta := engine.Reshape(n.param(fmt.Sprintf("disc.norm%d.bias", k)), 1, c, 1, 1)
	return engine.Add(engine.Mul(engine.Mul(xc, r), gamma), beta)
}

// discriminator maps images [N,3,64,64] to scores [N]: in (0,1) through
// the example's sigmoid, or the last convolution's output when linear.
func (n *net) discriminator(x *engine.Node, linear bool) *engine.Node {
	conv := func(h *engine.Node, k int, stride int, pad engine.Padding) *engine.Node {
		w := n.param(fmt.Sprintf("disc.conv%d.weight", k))
		return n.bias(engine.Conv2D(h, w, stride, pad), fmt.Sprintf("disc.conv%d.bias", k))
	}
	h := engine.LeakyRelu(conv(x, 1, 2, same), leak)
	for k := 2; k <= 4; k++ {
		h = engine.LeakyRelu(n.layerNorm(conv(h, k, 2, same), k), leak)
	}
	out := conv(h, 5, 1, engine.Padding{})
	if !linear {
		out = engine.Sigmoid(out)
	}
	return engine.Reshape(out, x.Shape()[0])
}

// Losses are the nodes of SPEC.md §3 for one minibatch, on one graph.
type Losses struct {
	Graph *engine.Graph
	X     *engine.Node // input: real images [N,3,64,64]
	Z     *engine.Node // input: latents [N,Z]
	Eps   *engine.Node // input: interpolation weights ε [N]

	Fake       *engine.Node // G(z)
	DReal      *engine.Node // D(x) [N]
	DFake      *engine.Node // D(G(z)) [N]
	LossDUnreg *engine.Node // mean(D(G(z))) - mean(D(x)) [1]
	Penalty    *engine.Node // λ·mean((‖∇D(x̂)‖ - 1)²) [1]
	LossD      *engine.Node // LossDUnreg + Penalty [1]
	LossG      *engine.Node // -mean(D(G(z))) [1]
	GenParams  []*engine.Node
	DiscParams []*engine.Node
	GradD      []*engine.Node // ∂LossD/∂DiscParams (through the penalty's second derivative)
	GradG      []*engine.Node // ∂LossG/∂GenParams
	GenSpecs   []Param
	DiscSpecs  []Param
}

// BuildLosses builds the losses and their gradients of cfg's networks
// (width Filters, latent size Latent, the critic Linear or not) for a
// minibatch of Batch and penalty weight Lambda; the optimiser's settings
// are not read.
func BuildLosses(cfg Config) *Losses { return BuildLossesWith(cfg, false) }

// BuildLossesWith is BuildLosses with the critic's loss scored, when joint,
// on the real and the generated pictures as one batch of 2N: nothing in the
// critic couples its rows (its layer norms are per picture), so the values
// are the same but each layer runs once forward and once backward for both
// instead of twice. That is fewer, larger kernels (a generator iteration at
// F=8/16 plans 1197 WebGPU dispatches instead of 1387), the right trade
// where a kernel launch costs more than memory, as on a GPU; on the CPU two
// batches of N keep less memory alive and run faster at the seed's size
// (F=64/64: 10.3 s and 0.93 GB against 13.3 s and 1.29 GB).
func BuildLossesWith(cfg Config, joint bool) *Losses {
	f, z, n, lambda := cfg.Filters, cfg.Latent, cfg.Batch, cfg.Lambda
	g := engine.NewGraph()
	m := newNet(g, f, z)
	l := &Losses{Graph: g, GenSpecs: GenParams(f, z), DiscSpecs: DiscParams(f)}
	l.X = g.Input("x", n, Channels, Size, Size)
	l.Z = g.Input("z", n, z)
	l.Eps = g.Input("epsilon", n)
	for _, p := range l.GenSpecs {
		l.GenParams = append(l.GenParams, m.param(p.Name))
	}
	for _, p := range l.DiscSpecs {
		l.DiscParams = append(l.DiscParams, m.param(p.Name))
	}

	l.Fake = m.generator(l.Z)
	// The generator's loss needs only the generated pictures.
	l.DFake = m.discriminator(l.Fake, cfg.Linear)
	if joint {
		// mean(D(G(z))) - mean(D(x)) = Σ sign·D(x, G(z)) with sign -1/N
		// on the real rows and 1/N on the generated ones.
		both := m.discriminator(engine.Concat(l.X, l.Fake), cfg.Linear)
		sign := engine.Concat(engine.Fill(g, -1/float64(n), n), engine.Fill(g, 1/float64(n), n))
		l.LossDUnreg = engine.SumTo(engine.Mul(both, sign), 1)
		l.DReal = engine.Slice(both, 0, n)
	} else {
		l.DReal = m.discriminator(l.X, cfg.Linear)
		l.LossDUnreg = engine.Sub(engine.MeanAll(l.DFake), engine.MeanAll(l.DReal))
	}

	// x̂ = ε·x + (1-ε)·G(z);  g = ∂ΣD(x̂)/∂x̂
	e := engine.Reshape(l.Eps, n, 1, 1, 1)
	xhat := engine.Add(engine.Mul(e, l.X), engine.Mul(engine.AddConst(engine.Neg(e), 1), l.Fake))
	grad := engine.Grad([]*engine.Node{m.discriminator(xhat, cfg.Linear)}, []*engine.Node{xhat}, nil)[0]
	// ‖g‖ = √(Σ_{c,h,w} g² + 1e-10);  GP = λ·mean((‖g‖-1)²)
	norm := engine.Sqrt(engine.AddConst(engine.Sum(engine.Square(grad), 1, 2, 3), normGPEps))
	l.Penalty = engine.Scale(engine.MeanAll(engine.Square(engine.AddConst(norm, -1))), lambda)
	l.LossD = engine.Add(l.LossDUnreg, l.Penalty)
	l.LossG = engine.Neg(engine.MeanAll(l.DFake))

	l.GradD = engine.Grad([]*engine.Node{l.LossD}, l.DiscParams, nil)
	l.GradG = engine.Grad([]*engine.Node{l.LossG}, l.GenParams, nil)
	return l
}
