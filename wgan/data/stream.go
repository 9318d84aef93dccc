package data

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"sync"
)

// Stream deals a Set out as minibatches. Each epoch is a fresh random
// order of all the pictures, dealt batch by batch; a partial last
// minibatch is dropped and the next epoch begins. Each picture is flipped
// horizontally with probability 1/2 and rescaled from [0, 255] to [-1, 1].
//
// The order of epoch e and the flip of the k-th picture of epoch e depend
// only on (seed, e, k), so the whole state of a Stream is its StreamState
// and a Stream restored to a state deals exactly what the original would
// have dealt from there.
type Stream struct {
	set   *Set
	batch int
	seed  uint64
	epoch int
	pos   int

	perm      []int // the order of epoch permEpoch
	permEpoch int

	busy bool // a Prefetcher is reading from this Stream
}

// StreamState is where a Stream stands: the epoch it is in (from 0) and the
// number of pictures of that epoch already dealt.
type StreamState struct {
	Epoch int
	Pos   int
}

// NewStream returns a Stream of minibatches of batch pictures. The Set
// must hold at least one minibatch.
func (s *Set) NewStream(batch int, seed uint64) (*Stream, error) {
	if batch <= 0 {
		return nil, fmt.Errorf("minibatch size must be positive, not %d", batch)
	}
	if len(s.Images) < batch {
		return nil, fmt.Errorf("found %d images, need at least one minibatch of %d", len(s.Images), batch)
	}
	return &Stream{set: s, batch: batch, seed: seed, permEpoch: -1}, nil
}

// Batch returns the number of pictures in a minibatch.
func (st *Stream) Batch() int { return st.batch }

// BatchesPerEpoch returns the number of minibatches in an epoch.
func (st *Stream) BatchesPerEpoch() int { return len(st.set.Images) / st.batch }

// Next writes the next minibatch into dst, NCHW float32, which must be
// Batch()·ImageLen long.
func (st *Stream) Next(dst []float32) {
	if st.busy {
		panic("data: Stream.Next while a Prefetcher reads the Stream")
	}
	st.next(dst)
}

func (st *Stream) next(dst []float32) {
	if len(dst) != st.batch*ImageLen {
		panic(fmt.Sprintf("data: minibatch buffer has %d values, want %d", len(dst), st.batch*ImageLen))
	}
	n := len(st.set.Images)
	if st.pos+st.batch > n {
		st.epoch++
		st.pos = 0
	}
	if st.permEpoch != st.epoch {
		st.perm = permutation(n, newPCG(st.seed, epochStream(st.epoch)))
		st.permEpoch = st.epoch
	}
	for i := 0; i < st.batch; i++ {
		k := st.pos + i
		toFloat(dst[i*ImageLen:(i+1)*ImageLen], st.set.Images[st.perm[k]], flip(st.seed, st.epoch, k))
	}
	st.pos += st.batch
}

// State returns where the Stream stands.
func (st *Stream) State() StreamState {
	return StreamState{Epoch: st.epoch, Pos: st.pos}
}

// Restore moves the Stream to a state that State returned (on a Stream of
// the same Set, minibatch size and seed).
func (st *Stream) Restore(s StreamState) error {
	if st.busy {
		return fmt.Errorf("data: Stream.Restore while a Prefetcher reads the Stream")
	}
	n := len(st.set.Images)
	if s.Epoch < 0 || s.Pos < 0 || s.Pos > n || s.Pos%st.batch != 0 {
		return fmt.Errorf("data stream state epoch %d, position %d does not fit %d images in minibatches of %d",
			s.Epoch, s.Pos, n, st.batch)
	}
	st.epoch, st.pos = s.Epoch, s.Pos
	return nil
}

// A Prefetcher prepares the minibatches of a Stream ahead, on its own
// goroutine, and deals exactly the minibatches the Stream would have dealt.
// Next, State and Close are for one goroutine, the consumer.
type Prefetcher struct {
	st     *Stream
	ready  chan prefetched
	free   chan []float32
	done   chan struct{}
	wg     sync.WaitGroup
	state  StreamState // after the last minibatch the consumer took
	closed bool
}

type prefetched struct {
	buf   []float32
	after StreamState
}

// Prefetch starts preparing up to depth (at least 1) minibatches ahead.
// Until the Prefetcher is closed the Stream must not be used; Close leaves
// it just after the last minibatch taken from the Prefetcher.
func (st *Stream) Prefetch(depth int) *Prefetcher {
	if st.busy {
		panic("data: a Stream can have one Prefetcher at a time")
	}
	depth = max(depth, 1)
	st.busy = true
	p := &Prefetcher{
		st:    st,
		ready: make(chan prefetched, depth),
		free:  make(chan []float32, depth),
		done:  make(chan struct{}),
		state: st.State(),
	}
	for range depth {
		p.free <- make([]float32, st.batch*ImageLen)
	}
	// The goroutine works on its own copy, so the Stream is left untouched.
	cp := &Stream{set: st.set, batch: st.batch, seed: st.seed, epoch: st.epoch, pos: st.pos,
		perm: st.perm, permEpoch: st.permEpoch}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			var buf []float32
			select {
			case buf = <-p.free:
			case <-p.done:
				return
			}
			cp.next(buf)
			select {
			case p.ready <- prefetched{buf, cp.State()}:
			case <-p.done:
				return
			}
		}
	}()
	return p
}

// Next writes the next minibatch into dst, as Stream.Next does.
func (p *Prefetcher) Next(dst []float32) {
	if p.closed {
		panic("data: Next on a closed Prefetcher")
	}
	if len(dst) != p.st.batch*ImageLen {
		panic(fmt.Sprintf("data: minibatch buffer has %d values, want %d", len(dst), p.st.batch*ImageLen))
	}
	b := <-p.ready
	copy(dst, b.buf)
	p.state = b.after
	p.free <- b.buf
}

// State returns the state of the Stream after the last minibatch taken
// with Next (not counting the ones prepared ahead).
func (p *Prefetcher) State() StreamState { return p.state }

// Close stops the goroutine, waits for it to end and hands the Stream back,
// positioned after the last minibatch taken. Closing twice does nothing.
func (p *Prefetcher) Close() {
	if p.closed {
		return
	}
	p.closed = true
	close(p.done)
	p.wg.Wait()
	p.st.epoch, p.st.pos = p.state.Epoch, p.state.Pos
	p.st.busy = false
}

// toFloat writes the planar picture src into dst as float32 in [-1, 1],
// mirrored left to right if flip.
func toFloat(dst []float32, src []uint8, flip bool) {
	for row := 0; row < Channels*Size; row++ {
		s := src[row*Size : (row+1)*Size]
		d := dst[row*Size : (row+1)*Size]
		if flip {
			for x, v := range s {
				d[Size-1-x] = unit[v]
			}
		} else {
			for x, v := range s {
				d[x] = unit[v]
			}
		}
	}
}

// unit maps a byte v to v/127.5 − 1.
var unit = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(float64(v)/127.5 - 1)
	}
	return t
}()

// The random numbers. Only PCG's Uint64 (a fixed algorithm) is used, with
// our own shuffling and bounding, so that the data order of a seed is the
// same on every platform and Go release, and checkpoints resume exactly.

// Stream numbers of the PCGs, one per use.
const (
	holdOutStream = 0x686f6c646f7574 // "holdout"
	epochTag      = 0x65706f6368     // "epoch"
	flipTag       = 0x666c6970       // "flip"
)

func newPCG(seed, stream uint64) *rand.PCG { return rand.NewPCG(seed, stream) }

func epochStream(e int) uint64 { return mix64(epochTag ^ mix64(uint64(e))) }

// flip says whether the k-th picture of epoch e is mirrored: the top bit of
// a hash of (seed, e, k).
func flip(seed uint64, e, k int) bool {
	h := mix64(seed ^ flipTag)
	h = mix64(h ^ uint64(e))
	h = mix64(h ^ uint64(k))
	return h>>63 == 1
}

// mix64 is the SplitMix64 output function applied to x plus the golden
// ratio increment: a bijective hash with good avalanche.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// uintn returns a uniform integer in [0, n) (Lemire's method, unbiased).
func uintn(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// permutation returns a uniformly random permutation of [0, n)
// (Fisher–Yates).
func permutation(n int, src *rand.PCG) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(uintn(src, uint64(i+1)))
		p[i], p[j] = p[j], p[i]
	}
	return p
}
