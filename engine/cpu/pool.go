package cpu

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Float is the element type of a CPU backend: float32 for training,
// float64 for gradient checks by finite differences.
type Float interface{ ~float32 | ~float64 }

// Task is work split into n independent parts, run as Run(lo, hi) over
// disjoint ranges of [0, n). A compiled kernel is a Task value made once,
// so handing it to the pool allocates nothing.
type Task interface {
	Run(lo, hi int)
}

// Pool runs Tasks on a fixed set of worker goroutines. The zero value is not
// usable; make one with NewPool.
//
// A generator iteration is about 1,500 Fors of a few hundred microseconds
// each, so waking a parked goroutine (tens of microseconds) would idle a
// core for a quarter of the time: a worker that finishes a job polls for the
// next one for spinFor before it parks, and For polls for the last of its
// jobs to finish instead of sleeping on them.
type Pool struct {
	workers int
	jobs    chan job
	pending atomic.Int64 // jobs of the current For not yet finished
}

// spinFor is how long an idle worker polls for a job before it parks: about
// the gap between two steps of a plan, short against any step.
const spinFor = 100 * time.Microsecond

type job struct {
	t      Task
	lo, hi int
}

// NewPool starts workers goroutines (runtime.GOMAXPROCS(0) when workers <= 0).
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{workers: workers, jobs: make(chan job, 4*workers)}
	for i := 1; i < workers; i++ {
		go p.loop()
	}
	return p
}

// Workers is the number of goroutines that run a Task at once.
func (p *Pool) Workers() int { return p.workers }

func (p *Pool) loop() {
	for {
		j, ok := p.next()
		if !ok {
			return
		}
		j.t.Run(j.lo, j.hi)
		p.pending.Add(-1)
	}
}

// next waits for a job: polling for spinFor, then parked on the channel.
// ok is false once the pool is closed.
func (p *Pool) next() (j job, ok bool) {
	deadline := time.Now().Add(spinFor)
	for polls := 1; ; polls++ {
		select {
		case j, ok = <-p.jobs:
			return j, ok
		default:
		}
		if polls%64 == 0 {
			if time.Now().After(deadline) {
				break
			}
			runtime.Gosched()
		}
	}
	j, ok = <-p.jobs
	return j, ok
}

// For runs t over [0, n) in at most grain-sized chunks (grain >= 1) and
// waits for all of them. The calling goroutine does a share of the work.
// For is not reentrant: a Task must not call For on the same Pool.
func (p *Pool) For(t Task, n, grain int) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	if p.workers == 1 || n <= grain {
		t.Run(0, n)
		return
	}
	chunks := (n + grain - 1) / grain
	// Never make more chunks than needed to keep every worker busy a few times.
	if max := 4 * p.workers; chunks > max {
		chunks = max
	}
	size := (n + chunks - 1) / chunks
	for lo := 0; lo < n; lo += size {
		hi := lo + size
		if hi > n {
			hi = n
		}
		p.pending.Add(1)
		p.jobs <- job{t, lo, hi}
	}
	// Help the workers drain the queue, then wait for the chunks in flight.
	for {
		select {
		case j := <-p.jobs:
			j.t.Run(j.lo, j.hi)
			p.pending.Add(-1)
			continue
		default:
		}
		break
	}
	for p.pending.Load() != 0 {
		runtime.Gosched()
	}
}

// Close stops the workers. The Pool must not be used afterwards.
func (p *Pool) Close() { close(p.jobs) }
