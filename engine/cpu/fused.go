package cpu

import (
	"fmt"
	"math"

	"github.com/wgangp/wgangp/engine"
)

// fusedChunk is how many elements of a fused group's space are evaluated at
// once: every instruction's values for a chunk stay in L1/L2 (a group of
// 48 instructions in float64 holds 48·512·8 = 192 KiB at most).
const fusedChunk = 512

// fusedKernel runs an engine.FusedOp: the expression is evaluated over
// chunks of fusedChunk consecutive indices of the space, one instruction at
// a time over the whole chunk (a loop the compiler keeps tight), with
// direct loads read in place and broadcast loads gathered row by row, so no
// value of the group ever has a full-size buffer:
//
//	y[i] = expr(i)                            (op.Reduce false)
//	y[j] = Σ_{i projecting onto j} expr(i)    (op.Reduce true; in float64)
//
// The work is split into a fixed number of parts, each with its own
// scratch, so a run allocates nothing and sums in a fixed order.
type fusedKernel[T Float] struct {
	op      engine.FusedOp
	dst     []T
	ins     [][]T
	loads   []fusedLoad
	parts   int
	scratch []fusedScratch[T] // one for each part
	consts  [][]T             // a chunk of each constant instruction's value (nil else)
	red     *fusedReduction   // nil for an elementwise group
	// sums holds a reduction's sums where an epilogue makes y from them;
	// epiConsts are the epilogue's constants.
	sums      []T
	epiConsts [][]T
	// core computes a contraction into dst before the epilogue maps it in
	// place (engine.FusedOp.Core); nil else.
	core kernel
}

// fusedScratch is one part's memory: buf[i] a chunk for instruction i,
// cur[i] the values of instruction i for the current chunk (buf[i], or a
// view of an input, a constant or the destination), acc the column sums of
// a reduction.
type fusedScratch[T Float] struct {
	code, epi codeScratch[T] // for the expression and the epilogue
	acc       []float64
}

// codeScratch is one chunk of values for each instruction of some code,
// and for each broadcast load what its buffer holds if it is one value
// repeated.
type codeScratch[T Float] struct {
	buf, cur [][]T
	splats   []splatMemo[T]
}

// splatMemo says that a load's buffer holds v in its first n elements (n 0:
// nothing known). Most chunks of a broadcast load are one value, the same as
// the chunk before (a sample's statistic over its 4,096 pixels), and need no
// fill.
type splatMemo[T Float] struct {
	v T
	n int
}

func newCodeScratch[T Float](code []engine.FusedInstr) codeScratch[T] {
	s := codeScratch[T]{buf: make([][]T, len(code)), cur: make([][]T, len(code)), splats: make([]splatMemo[T], len(code))}
	for i, in := range code {
		if in.Kind != engine.FusedConst && in.Kind != engine.FusedSum {
			s.buf[i] = make([]T, fusedChunk)
		}
	}
	return s
}

func constsOf[T Float](code []engine.FusedInstr) [][]T {
	consts := make([][]T, len(code))
	for i, in := range code {
		if in.Kind == engine.FusedConst {
			v := make([]T, fusedChunk)
			for j := range v {
				v[j] = T(in.Value)
			}
			consts[i] = v
		}
	}
	return consts
}

// fusedLoad is one FusedLoad's index map: nil c for a direct load.
type fusedLoad struct {
	input       int
	c           *collapsed
	smallStride []int
}

// fusedReduction is the layout of a reduction's space: the merged kept and
// reduced dimensions with their strides in the space.
type fusedReduction struct {
	keptSize, keptStride []int
	redSize, redStride   []int
	innerReduced         bool // whether the innermost merged dimension is summed
	inner                int  // its size
	// group is, when the innermost dimension is summed, how many
	// consecutive indices of the innermost kept dimension a task sums:
	// their runs lie next to each other in the space, so one evaluation
	// covers them all (short runs, as the 4×4 pixels of a layer norm's
	// channel, would otherwise cost an evaluation each).
	group int
}

func newFused[T Float](op engine.FusedOp, dst []T, ins [][]T, workers int) *fusedKernel[T] {
	k := &fusedKernel[T]{op: op, dst: dst, ins: ins}
	for _, l := range op.Loads {
		fl := fusedLoad{input: l.Input}
		if !l.Direct() {
			c := collapse(l.Full, l.Small)
			if len(c.size) > maxMergedDims {
				panic(fmt.Sprintf("cpu: a fused load of %v from %v has more than %d merged dimensions", l.Small, l.Full, maxMergedDims))
			}
			_, fl.smallStride = c.strides()
			fl.c = &c
		}
		k.loads = append(k.loads, fl)
	}
	k.consts = constsOf[T](op.Code)
	if op.Epilogue != nil {
		k.epiConsts = constsOf[T](op.Epilogue)
		if op.Core != nil {
			k.sums = dst // the core's value, mapped in place
		} else {
			k.sums = make([]T, op.Out.Size())
		}
	}
	if op.Reduce {
		k.red = newFusedReduction(op.Space, op.Out, workers)
		k.parts = min(4*workers, k.red.tasks())
	} else {
		k.parts = min(4*workers, divCeil(op.Space.Size(), grain))
	}
	k.parts = max(1, k.parts)
	if workers == 1 {
		k.parts = 1
	}
	k.scratch = make([]fusedScratch[T], k.parts)
	for p := range k.scratch {
		s := &k.scratch[p]
		s.code = newCodeScratch[T](op.Code)
		if k.red != nil {
			s.acc = make([]float64, fusedChunk)
		}
		if op.Epilogue != nil {
			s.epi = newCodeScratch[T](op.Epilogue)
		}
	}
	return k
}

func newFusedReduction(space, out engine.Shape, workers int) *fusedReduction {
	c := collapse(space, out)
	fs, _ := c.strides()
	r := &fusedReduction{group: 1}
	for i := range c.size {
		if c.reduced[i] {
			r.redSize = append(r.redSize, c.size[i])
			r.redStride = append(r.redStride, fs[i])
		} else {
			r.keptSize = append(r.keptSize, c.size[i])
			r.keptStride = append(r.keptStride, fs[i])
		}
	}
	last := len(c.size) - 1
	r.innerReduced = c.reduced[last]
	r.inner = c.size[last]
	if r.innerReduced && len(r.keptSize) > 0 {
		// As many runs as fill a chunk, while leaving a few tasks a worker.
		kept := r.keptSize[len(r.keptSize)-1]
		r.group = max(1, min(fusedChunk/r.inner, kept, r.outputs()/(4*workers)))
	}
	return r
}

// outputs is the number of values the reduction makes.
func (r *fusedReduction) outputs() int {
	n := 1
	for _, s := range r.keptSize {
		n *= s
	}
	return n
}

// tasks is the number of independent pieces of a reduction: outputs when
// the innermost dimension is summed, else blocks of columns of the
// innermost kept dimension for each combination of the other kept ones.
func (r *fusedReduction) tasks() int {
	if r.innerReduced {
		return r.outputs() / r.lastKept() * divCeil(r.lastKept(), r.group)
	}
	return r.outputs() / r.inner * divCeil(r.inner, fusedChunk)
}

// lastKept is the size of the innermost kept dimension (1 if none).
func (r *fusedReduction) lastKept() int {
	if len(r.keptSize) == 0 {
		return 1
	}
	return r.keptSize[len(r.keptSize)-1]
}

// offset is the space offset of index j over dimensions of these sizes and
// strides (outermost first).
func offset(j int, size, stride []int) int {
	off := 0
	for d := len(size) - 1; d >= 0; d-- {
		off += (j % size[d]) * stride[d]
		j /= size[d]
	}
	return off
}

func divCeil(a, b int) int { return (a + b - 1) / b }

func (k *fusedKernel[T]) run(p *Pool) {
	if k.core != nil {
		k.core.run(p)
	}
	p.For(k, k.parts, 1)
}

// Run computes parts [lo, hi).
func (k *fusedKernel[T]) Run(lo, hi int) {
	for part := lo; part < hi; part++ {
		s := &k.scratch[part]
		if k.core != nil {
			n := k.op.Out.Size()
			k.epilogue(s, part*n/k.parts, (part+1)*n/k.parts)
			continue
		}
		if k.red != nil {
			n := k.red.tasks()
			k.reduce(s, part*n/k.parts, (part+1)*n/k.parts)
			continue
		}
		n := k.op.Space.Size()
		from, to := part*n/k.parts, (part+1)*n/k.parts
		for at := from; at < to; at += fusedChunk {
			end := min(at+fusedChunk, to)
			v := k.eval(s, at, end)
			if d := k.dst[at:end]; &d[0] != &v[0] {
				copy(d, v)
			}
		}
	}
}

// eval computes the expression at indices [lo, hi) of the space (at most
// fusedChunk of them) and returns the values. In an elementwise group the
// last instruction writes straight into dst.
func (k *fusedKernel[T]) eval(s *fusedScratch[T], lo, hi int) []T {
	var dst []T
	if k.red == nil {
		dst = k.dst[lo:hi]
	}
	return k.evalCode(k.op.Code, k.consts, &s.code, lo, hi, dst, nil)
}

// epilogue computes y at indices [lo, hi) of Out from the sums there.
func (k *fusedKernel[T]) epilogue(s *fusedScratch[T], lo, hi int) {
	for at := lo; at < hi; at += fusedChunk {
		end := min(at+fusedChunk, hi)
		v := k.evalCode(k.op.Epilogue, k.epiConsts, &s.epi, at, end, k.dst[at:end], k.sums[at:end])
		if d := k.dst[at:end]; &d[0] != &v[0] {
			copy(d, v)
		}
	}
}

// evalCode runs code at indices [lo, hi) (at most fusedChunk) with sc its
// scratch, consts its constants and sum the values of FusedSum; the last
// instruction writes into dst when it computes and dst is not nil.
func (k *fusedKernel[T]) evalCode(code []engine.FusedInstr, consts [][]T, sc *codeScratch[T], lo, hi int, dst, sum []T) []T {
	buf, cur := sc.buf, sc.cur
	n := hi - lo
	last := len(code) - 1
	for i := range code {
		in := &code[i] // not a copy: 56 bytes an instruction, a chunk
		var out []T
		switch in.Kind {
		case engine.FusedRead:
			l := &k.loads[in.Arg]
			src := k.ins[l.input]
			if l.c == nil {
				out = src[lo:hi]
			} else {
				out = buf[i][:n]
				gatherLoad(l, out, src, lo, &sc.splats[i])
			}
		case engine.FusedConst:
			out = consts[i][:n]
		case engine.FusedSum:
			out = sum
		case engine.FusedUnary, engine.FusedBinary:
			out = buf[i][:n]
			if i == last && dst != nil {
				out = dst
			}
			if in.Kind == engine.FusedUnary {
				unaryLoop(in.Unary, in.Value, out, cur[in.A])
			} else {
				binaryLoop(in.Binary, out, cur[in.A], cur[in.B])
			}
		}
		cur[i] = out
	}
	return cur[last]
}

// gatherLoad reads src (the load's small shape) for the space indices
// [lo, lo+len(dst)), one run of the innermost merged dimension at a time:
// a constant where that dimension is repeated, a copy where it is not. The
// outer coordinates advance as an odometer (no division per run: runs are
// as short as a 4×4 channel). A chunk that is one value is not filled again
// when memo says dst holds it already.
func gatherLoad[T Float](l *fusedLoad, dst, src []T, lo int, memo *splatMemo[T]) {
	c := l.c
	last := len(c.size) - 1
	inner := c.size[last]
	col, row := lo%inner, lo/inner
	outer, stride := c.size[:last], l.smallStride[:last]
	var idx [maxMergedDims]int
	off := 0
	for d := last - 1; d >= 0; d-- {
		idx[d] = row % outer[d]
		off += idx[d] * stride[d]
		row /= outer[d]
	}
	repeated := c.reduced[last]
	if repeated && col+len(dst) <= inner { // one value for the whole chunk
		v := src[off]
		if memo.n < len(dst) || !sameBits(memo.v, v) {
			splat(dst, v)
			*memo = splatMemo[T]{v: v, n: len(dst)}
		}
		return
	}
	memo.n = 0
	for pos := 0; pos < len(dst); {
		run := min(inner-col, len(dst)-pos)
		if repeated {
			splat(dst[pos:pos+run], src[off])
		} else {
			copy(dst[pos:pos+run], src[off+col:off+col+run])
		}
		pos += run
		col = 0
		for d := last - 1; d >= 0; d-- { // the next row
			off += stride[d]
			if idx[d]++; idx[d] < outer[d] {
				break
			}
			off -= idx[d] * stride[d]
			idx[d] = 0
		}
	}
}

// splat sets every element of d to v: short runs (a 4×4 channel) by a
// loop, longer ones by copies of doubling length (memmove is vectorized;
// a scalar loop filling a 512-element chunk was a tenth of a generator
// iteration on the CPU).
func splat[T Float](d []T, v T) {
	if len(d) < 32 {
		for j := range d {
			d[j] = v
		}
		return
	}
	for j := range 16 {
		d[j] = v
	}
	for n := 16; n < len(d); n *= 2 {
		copy(d[n:], d[:n])
	}
}

// sameBits reports whether a and b are the same value bit for bit (not
// a == b: -0 and +0 differ, a NaN is itself).
func sameBits[T Float](a, b T) bool {
	if isF32[T]() {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

// maxMergedDims bounds the merged dimensions of a load's index map: a
// broadcast of rank r merges into at most r.
const maxMergedDims = 8

// reduce computes the reduction's tasks [from, to).
func (k *fusedKernel[T]) reduce(s *fusedScratch[T], from, to int) {
	r := k.red
	if r.innerReduced {
		// Task t sums outputs j0 .. j0+g-1, consecutive indices of the
		// innermost kept dimension, whose runs of inner values are next
		// to each other: [start, start+g·inner) for each combination of
		// the other summed dimensions. Each output's values are added in
		// the same order whatever g is.
		outer := r.redSize[:len(r.redSize)-1]
		combos := 1
		for _, d := range outer {
			combos *= d
		}
		kept := r.lastKept()
		blocks := divCeil(kept, r.group)
		acc := s.acc
		for t := from; t < to; t++ {
			row, b := t/blocks, t%blocks
			k0 := b * r.group
			g := min(r.group, kept-k0)
			j0 := row*kept + k0
			base := offset(j0, r.keptSize, r.keptStride)
			acc := acc[:g]
			for i := range acc {
				acc[i] = 0
			}
			for c := range combos {
				start := base + offset(c, outer, r.redStride[:len(outer)])
				end := start + g*r.inner
				for at := start; at < end; at += fusedChunk {
					hi := min(at+fusedChunk, end)
					v := k.eval(s, at, hi)
					for pos := at; pos < hi; {
						run := (pos - start) / r.inner
						stop := min(hi, start+(run+1)*r.inner)
						acc[run] += sumRun(v[pos-at : stop-at])
						pos = stop
					}
				}
			}
			d := k.sumsOut()[j0 : j0+g]
			for i, v := range acc {
				d[i] = T(v)
			}
			if k.op.Epilogue != nil {
				k.epilogue(s, j0, j0+g)
			}
		}
		return
	}
	blocks := divCeil(r.inner, fusedChunk)
	outerKept := len(r.keptSize) - 1
	combos := 1
	for _, d := range r.redSize {
		combos *= d
	}
	for t := from; t < to; t++ {
		o, b := t/blocks, t%blocks
		c0 := b * fusedChunk
		w := min(fusedChunk, r.inner-c0)
		base := offset(o, r.keptSize[:outerKept], r.keptStride[:outerKept]) + c0
		acc := s.acc[:w]
		for i := range acc {
			acc[i] = 0
		}
		for c := range combos {
			start := base + offset(c, r.redSize, r.redStride)
			for i, v := range k.eval(s, start, start+w) {
				acc[i] += float64(v)
			}
		}
		j0 := o*r.inner + c0
		d := k.sumsOut()[j0 : j0+w]
		for i, v := range acc {
			d[i] = T(v)
		}
		if k.op.Epilogue != nil {
			k.epilogue(s, j0, j0+w)
		}
	}
}

// sumRun is the float64 sum of v: its first len(v)&^15 elements in the
// sixteen partial sums of sum16Go (with vector instructions for float32),
// then the rest one by one. A single chain of dependent adds, as before,
// ran at a twelfth of the vector loop's speed.
func sumRun[T Float](v []T) float64 {
	var s float64
	n := 0
	if isF32[T]() {
		s, n = sumVec(f32(v))
	}
	if n == 0 {
		n = len(v) &^ 15
		s = sum16Go(v[:n])
	}
	for _, x := range v[n:] {
		s += float64(x)
	}
	return s
}

// sum16Go is the float64 sum of v (len(v) a multiple of 16, maybe 0): lane
// l of a[l] adds v[i] for i%16 == l; then e[l] = (a[l]+a[4+l]) +
// (a[8+l]+a[12+l]) and the sum is (e[0]+e[2]) + (e[1]+e[3]).
func sum16Go[T Float](v []T) float64 {
	if len(v) == 0 {
		return 0
	}
	var a [16]float64
	for i := 0; i+16 <= len(v); i += 16 {
		w := (*[16]T)(v[i:])
		for l := range a {
			a[l] += float64(w[l])
		}
	}
	var e [4]float64
	for l := range e {
		e[l] = (a[l] + a[4+l]) + (a[8+l] + a[12+l])
	}
	return (e[0] + e[2]) + (e[1] + e[3])
}

// sumsOut is where a reduction's sums go: y, or the sums an epilogue reads.
func (k *fusedKernel[T]) sumsOut() []T {
	if k.sums != nil {
		return k.sums
	}
	return k.dst
}
