// Package swd measures sample quality with the sliced Wasserstein distance
// on Laplacian-pyramid patches of Karras et al., "Progressive Growing of
// GANs" (2018).
//
// Each image (NCHW float32 in [-1, 1], mapped to [0, 255]) is decomposed
// into a Laplacian pyramid: for 64-px images band-pass levels at 64 and 32
// px and the low-pass image at 16 px. From every level of every image
// PatchesPerImage random PatchSize×PatchSize patches (all channels) are
// taken as descriptors; each set of images is normalised on its own, per
// level and channel, to mean 0 and standard deviation 1. The distance
// between two sets at one level is the sliced Wasserstein distance between
// their descriptors: the Wasserstein-1 distance between the projections on
// Repeats×Directions random unit directions, averaged over the directions
// and multiplied by 1e3. Lower is better; the value between two disjoint
// halves of the real data (Floor) is the noise floor to read it against.
//
// Everything random — patch positions (per seed, level and image index)
// and directions (per seed and level) — is drawn from Config.Seed, so calls
// with the same seed are comparable across a training run, and two
// identical image sets are at distance 0. Values depend on the image
// counts (the estimate is biased upwards by sampling noise, more so for
// fewer images): compare values computed with the same counts.
//
// Because each set is normalised by its own per-channel mean and standard
// deviation, a change of brightness or contrast applied to a whole set
// (an affine map of each channel) does not change the distance.
package swd

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Config sets the parameters of the metric; DefaultConfig has those of
// Karras et al. for 64-px images.
type Config struct {
	// PatchesPerImage is the number of patches taken from each image at
	// each level (128).
	PatchesPerImage int
	// PatchSize is the side of a patch in pixels, odd (7): a descriptor
	// has Channels×PatchSize×PatchSize values.
	PatchSize int
	// Directions is the number of random directions per repeat (128) and
	// Repeats the number of repeats (4): the distance averages over
	// Directions×Repeats projections.
	Directions, Repeats int
	// Levels is the number of pyramid levels (3 for 64-px images: 64, 32
	// and 16 px); see LevelsFor.
	Levels int
	// Channels is the number of image channels (3).
	Channels int
	// Seed selects the patch positions and the directions.
	Seed uint64
}

// DefaultConfig returns the configuration of Karras et al. for 64-px RGB
// images: 128 7×7 patches per image and level, 4×128 directions, 3 levels.
func DefaultConfig() Config {
	return Config{
		PatchesPerImage: 128,
		PatchSize:       7,
		Directions:      128,
		Repeats:         4,
		Levels:          3,
		Channels:        3,
		Seed:            1,
	}
}

// LevelsFor returns the number of pyramid levels Karras et al. use for
// size-px images: one per resolution from size down to 16 px, halving
// while the size is even (at least 1): 3 for 64 px, 4 for 128, 2 for 48.
func LevelsFor(size int) int {
	l := 0
	for s := size; s >= 16; s /= 2 {
		l++
		if s%2 != 0 {
			break
		}
	}
	return max(l, 1)
}

// Scale multiplies the sliced Wasserstein distances reported.
const Scale = 1e3

// validate checks the fields that do not depend on the image size.
func (c Config) validate() error {
	switch {
	case c.PatchesPerImage < 1:
		return fmt.Errorf("swd: PatchesPerImage %d must be positive", c.PatchesPerImage)
	case c.PatchSize < 1 || c.PatchSize%2 == 0:
		return fmt.Errorf("swd: PatchSize %d must be odd and positive", c.PatchSize)
	case c.Directions < 1 || c.Repeats < 1:
		return fmt.Errorf("swd: Directions %d and Repeats %d must be positive", c.Directions, c.Repeats)
	case c.Levels < 1 || c.Levels > 16:
		return fmt.Errorf("swd: Levels %d must be in [1, 16]", c.Levels)
	case c.Channels < 1:
		return fmt.Errorf("swd: Channels %d must be positive", c.Channels)
	}
	return nil
}

// checkImages checks the configuration against images of n images of
// size×size pixels.
func (c Config) checkImages(images []float32, n, size int) error {
	if err := c.validate(); err != nil {
		return err
	}
	if size < 1 || size%(1<<(c.Levels-1)) != 0 {
		return fmt.Errorf("swd: image size %d is not divisible by 2^(Levels-1) = %d", size, 1<<(c.Levels-1))
	}
	if s := size >> (c.Levels - 1); s < c.PatchSize {
		return fmt.Errorf("swd: the smallest level (%d px) is smaller than a patch (%d px)", s, c.PatchSize)
	}
	if n < 1 {
		return fmt.Errorf("swd: %d images: need at least 1", n)
	}
	if want := n * c.Channels * size * size; len(images) != want {
		return fmt.Errorf("swd: %d values for %d images of %d×%d×%d: want %d", len(images), n, c.Channels, size, size, want)
	}
	return nil
}

// panel is the number of descriptors stored together in a Matrix.
const panel = 16

// Matrix is a set of descriptors: Rows vectors of Cols values each. It is
// stored in panels of 16 descriptors, component-major within a panel, the
// layout of the projection kernel.
type Matrix struct {
	rows, cols int
	data       []float32 // row i, column k at index(i, k); padding rows are 0
}

func newMatrix(rows, cols int) *Matrix {
	m := &Matrix{rows: rows, cols: cols}
	m.data = make([]float32, m.panels()*panel*cols)
	return m
}

// NewMatrix returns a Matrix of rows descriptors of cols values each, read
// from data in row-major order (row i at data[i*cols:(i+1)*cols]).
func NewMatrix(rows, cols int, data []float32) (*Matrix, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("swd: matrix %d×%d must not be empty", rows, cols)
	}
	if len(data) != rows*cols {
		return nil, fmt.Errorf("swd: %d values for a %d×%d matrix", len(data), rows, cols)
	}
	m := newMatrix(rows, cols)
	for i := range rows {
		for k, v := range data[i*cols : (i+1)*cols] {
			m.data[m.index(i, k)] = v
		}
	}
	return m, nil
}

// Rows returns the number of descriptors.
func (m *Matrix) Rows() int { return m.rows }

// Cols returns the number of values of a descriptor.
func (m *Matrix) Cols() int { return m.cols }

// At returns value k of descriptor i.
func (m *Matrix) At(i, k int) float32 {
	if i < 0 || i >= m.rows || k < 0 || k >= m.cols {
		panic(fmt.Sprintf("swd: At(%d, %d) outside a %d×%d matrix", i, k, m.rows, m.cols))
	}
	return m.data[m.index(i, k)]
}

// Row returns a copy of descriptor i.
func (m *Matrix) Row(i int) []float32 {
	r := make([]float32, m.cols)
	for k := range r {
		r[k] = m.At(i, k)
	}
	return r
}

func (m *Matrix) panels() int { return (m.rows + panel - 1) / panel }

func (m *Matrix) index(i, k int) int { return i/panel*panel*m.cols + k*panel + i%panel }

// patchCentres fills centres with the (row, column) centres of the patches
// of image img at a level of s×s pixels, for patches of side 2h+1: each
// uniform in [h, s-1-h]², drawn from the stream of (seed, level, img).
func patchCentres(seed uint64, level, img, s, side int, centres [][2]int) {
	r := stream(seed, tagPatches, level, img)
	h := side / 2
	for j := range centres {
		centres[j] = [2]int{h + r.IntN(s-2*h), h + r.IntN(s-2*h)}
	}
}

// Descriptors extracts the normalised patch descriptors of n images
// (NCHW float32 in [-1, 1], cfg.Channels×size×size each): one Matrix per
// pyramid level, finest first, of n×cfg.PatchesPerImage descriptors of
// cfg.Channels×cfg.PatchSize² values (channel, row, column), descriptor
// i*PatchesPerImage+j from image i. Each level is normalised per channel to
// mean 0 and standard deviation 1 over all its descriptors (a channel with
// no variation is only centred). A non-finite pixel makes the descriptors
// of its channel NaN, and so the distances computed from them.
func Descriptors(images []float32, n, size int, cfg Config) ([]*Matrix, error) {
	return descriptors(images, n, size, cfg, nil)
}

// descriptors is Descriptors writing into reuse where it has the right
// shape (every descriptor is overwritten; padding rows stay 0).
func descriptors(images []float32, n, size int, cfg Config, reuse []*Matrix) ([]*Matrix, error) {
	if err := cfg.checkImages(images, n, size); err != nil {
		return nil, err
	}
	ps, np, nc := cfg.PatchSize, cfg.PatchesPerImage, cfg.Channels
	dim := nc * ps * ps
	ms := reuse
	if len(ms) != cfg.Levels || ms[0].rows != n*np || ms[0].cols != dim {
		ms = make([]*Matrix, cfg.Levels)
		for l := range ms {
			ms[l] = newMatrix(n*np, dim)
		}
	}
	plane := size * size
	const chunk = 4 // images per work item
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk) {
		wg.Go(func() {
			pyr := make([]*pyramid, nc)
			for c := range pyr {
				pyr[c] = newPyramid(size, cfg.Levels)
			}
			buf := make([]float32, plane)
			centres := make([][2]int, np)
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for img := lo; img < min(lo+chunk, n); img++ {
					for c := range nc {
						src := images[(img*nc+c)*plane:][:plane]
						for i, v := range src {
							buf[i] = (v + 1) * 127.5
						}
						pyr[c].build(buf)
					}
					for l, m := range ms {
						s := size >> l
						patchCentres(cfg.Seed, l, img, s, ps, centres)
						for j, ctr := range centres {
							row := img*np + j
							out := m.data[m.index(row, 0):]
							k := 0
							for c := range nc {
								p := pyr[c].planes[l]
								for y := ctr[0] - ps/2; y <= ctr[0]+ps/2; y++ {
									for _, v := range p[y*s+ctr[1]-ps/2 : y*s+ctr[1]+ps/2+1] {
										out[k*panel] = v
										k++
									}
								}
							}
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for _, m := range ms {
		m.normalise(nc)
	}
	return ms, nil
}

// normalise scales each channel (a block of cols/channels consecutive
// values of every descriptor) to mean 0 and standard deviation 1 over all
// the descriptors. Sums are taken per fixed chunk of panels and added in
// order, so the result does not depend on the number of workers.
func (m *Matrix) normalise(channels int) {
	per := m.cols / channels
	const chunk = 64 // panels
	nchunks := (m.panels() + chunk - 1) / chunk
	part := make([]float64, nchunks*channels)
	// each sums f(c, x, valid) per channel c over the panels, x holding the
	// values of channel c in one panel, of which lanes < valid are
	// descriptors (the others padding).
	each := func(f func(ch int, x []float32, valid int) float64) []float64 {
		clear(part)
		parallel(nchunks, func(ci int) {
			for p := ci * chunk; p < min((ci+1)*chunk, m.panels()); p++ {
				valid := min(panel, m.rows-p*panel)
				for c := range channels {
					base := p*panel*m.cols + c*per*panel
					part[ci*channels+c] += f(c, m.data[base:base+per*panel], valid)
				}
			}
		})
		tot := make([]float64, channels)
		for ci := range nchunks {
			for c := range channels {
				tot[c] += part[ci*channels+c]
			}
		}
		return tot
	}
	count := float64(m.rows * per)
	mean := each(func(_ int, x []float32, valid int) float64 {
		var s float64
		for i, v := range x {
			if valid == panel || i%panel < valid {
				s += float64(v)
			}
		}
		return s
	})
	for c := range mean {
		mean[c] /= count
	}
	ss := each(func(c int, x []float32, valid int) float64 {
		var s float64
		for i, v := range x {
			if valid == panel || i%panel < valid {
				d := float64(v) - mean[c]
				s += d * d
			}
		}
		return s
	})
	scale := make([]float32, channels)
	shift := make([]float32, channels)
	for c := range channels {
		sd := math.Sqrt(ss[c] / count)
		if sd == 0 {
			sd = 1
		}
		scale[c] = float32(1 / sd)
		shift[c] = float32(-mean[c] / sd)
	}
	each(func(c int, x []float32, valid int) float64 {
		for i := range x {
			if valid == panel || i%panel < valid {
				x[i] = x[i]*scale[c] + shift[c]
			}
		}
		return 0
	})
}

// parallel calls f(i) for i in [0, n) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// Distance returns the sliced Wasserstein distance (×Scale) between two
// descriptor sets at each level, and its average over the levels. a and b
// hold one Matrix per level with matching Cols; their Rows may differ (the
// 1-D distances are then between empirical distributions of different
// counts). The directions come from cfg.Seed, cfg.Directions and
// cfg.Repeats.
func Distance(a, b []*Matrix, cfg Config) (levels []float64, avg float64, err error) {
	if err := cfg.validate(); err != nil {
		return nil, 0, err
	}
	if err := checkSets(a, b); err != nil {
		return nil, 0, err
	}
	dirs := make([][]float32, len(a))
	for l := range dirs {
		dirs[l] = directions(cfg.Seed, l, a[l].cols, cfg.Directions*cfg.Repeats)
	}
	levels, avg = distance(a, b, dirs, cfg.Directions*cfg.Repeats, &workspace{})
	return levels, avg, nil
}

func checkSets(a, b []*Matrix) error {
	if len(a) == 0 || len(a) != len(b) {
		return fmt.Errorf("swd: descriptor sets of %d and %d levels", len(a), len(b))
	}
	for l := range a {
		if a[l] == nil || b[l] == nil {
			return errors.New("swd: nil descriptor matrix")
		}
		if a[l].rows < 1 || b[l].rows < 1 || a[l].cols < 1 {
			return fmt.Errorf("swd: level %d: empty descriptor matrix", l)
		}
		if a[l].cols != b[l].cols {
			return fmt.Errorf("swd: level %d: descriptors of %d and %d values", l, a[l].cols, b[l].cols)
		}
	}
	return nil
}

func distance(a, b []*Matrix, dirs [][]float32, count int, ws *workspace) ([]float64, float64) {
	levels := make([]float64, len(a))
	var avg float64
	for l := range a {
		levels[l] = Scale * sliced(a[l], b[l], dirs[l], count, ws)
		avg += levels[l]
	}
	return levels, avg / float64(len(levels))
}

// SWD returns the distance between n real and n fake images (NCHW float32
// in [-1, 1], cfg.Channels×size×size each) at each level, and its average.
func SWD(real, fake []float32, n, size int, cfg Config) (levels []float64, avg float64, err error) {
	r, err := NewReference(real, n, size, cfg)
	if err != nil {
		return nil, 0, err
	}
	return r.Distance(fake, n)
}

// Floor returns the distance between the first and the second half of n
// real images (n/2 each, the last dropped when n is odd): the noise floor
// of the metric for n/2 images per side, to report next to the distance of
// n/2 fake images from n/2 real ones.
func Floor(real []float32, n, size int, cfg Config) (levels []float64, avg float64, err error) {
	if err := cfg.checkImages(real, n, size); err != nil {
		return nil, 0, err
	}
	if n < 2 {
		return nil, 0, fmt.Errorf("swd: %d images: the floor needs at least 2", n)
	}
	h := n / 2
	half := h * cfg.Channels * size * size
	return SWD(real[:half], real[half:2*half], h, size, cfg)
}

// Reference holds the descriptors of a set of real images and the random
// directions, to measure fake sets against them repeatedly during
// training. Between calls it keeps the buffers of the last one (the fake
// descriptors and the projections of a group of directions per worker,
// about as much memory again as the real descriptors) to reuse them; its
// methods may be called from one goroutine at a time.
type Reference struct {
	cfg     Config
	n, size int
	desc    []*Matrix
	dirs    [][]float32
	fake    []*Matrix
	ws      workspace
}

// NewReference extracts the descriptors of n real images (NCHW float32 in
// [-1, 1], cfg.Channels×size×size each).
func NewReference(real []float32, n, size int, cfg Config) (*Reference, error) {
	desc, err := Descriptors(real, n, size, cfg)
	if err != nil {
		return nil, err
	}
	r := &Reference{cfg: cfg, n: n, size: size, desc: desc, dirs: make([][]float32, len(desc))}
	for l, m := range desc {
		r.dirs[l] = directions(cfg.Seed, l, m.cols, cfg.Directions*cfg.Repeats)
	}
	return r, nil
}

// Images returns the number of real images.
func (r *Reference) Images() int { return r.n }

// Config returns the configuration the reference was made with.
func (r *Reference) Config() Config { return r.cfg }

// Descriptors returns the descriptors of the real images, one Matrix per
// level; they must not be modified.
func (r *Reference) Descriptors() []*Matrix { return r.desc }

// Distance returns the distance of n fake images (same layout and size as
// the real ones) from the real set at each level, and its average. n may
// differ from the number of real images, but values are comparable only
// between calls with the same n.
func (r *Reference) Distance(fake []float32, n int) (levels []float64, avg float64, err error) {
	desc, err := descriptors(fake, n, r.size, r.cfg, r.fake)
	if err != nil {
		return nil, 0, err
	}
	r.fake = desc
	levels, avg = distance(r.desc, desc, r.dirs, r.cfg.Directions*r.cfg.Repeats, &r.ws)
	return levels, avg, nil
}
