package cpu

import (
	"sync/atomic"
	"testing"
	"time"
)

type countTask struct {
	hits []int32
	runs atomic.Int32
}

func (c *countTask) Run(lo, hi int) {
	c.runs.Add(1)
	for i := lo; i < hi; i++ {
		atomic.AddInt32(&c.hits[i], 1)
	}
}

// TestPoolCoversEachIndexOnce runs For over many sizes and grains and
// checks that every index is run exactly once.
func TestPoolCoversEachIndexOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		p := NewPool(workers)
		for _, n := range []int{0, 1, 2, 7, 64, 1000, 100003} {
			for _, grain := range []int{0, 1, 3, 64, 1 << 20} {
				c := &countTask{hits: make([]int32, n)}
				p.For(c, n, grain)
				for i, h := range c.hits {
					if h != 1 {
						t.Fatalf("workers %d n %d grain %d: index %d run %d times", workers, n, grain, i, h)
					}
				}
				if n > 0 && grain >= 1 && n/grain >= 2 && workers > 1 && c.runs.Load() < 2 {
					t.Errorf("workers %d n %d grain %d: %d chunks, expected the work split", workers, n, grain, c.runs.Load())
				}
			}
		}
		p.Close()
	}
}

func TestPoolForDoesNotAllocate(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	c := &countTask{hits: make([]int32, 1<<16)}
	if a := testing.AllocsPerRun(20, func() { p.For(c, len(c.hits), 1024) }); a != 0 {
		t.Errorf("For allocates %v times per call", a)
	}
}

// slowTask marks its indices done after a pause, so that the chunks a
// worker took are still running when the caller has finished its own.
type slowTask struct{ done []bool }

func (s *slowTask) Run(lo, hi int) {
	time.Sleep(time.Millisecond)
	for i := lo; i < hi; i++ {
		s.done[i] = true
	}
}

// TestPoolForWaitsForEveryChunk checks that For returns only once every
// chunk has finished, whether the workers were polling for work (the For
// right after another) or had parked (after a pause longer than spinFor);
// under -race (make test) a write the caller could miss is also reported.
func TestPoolForWaitsForEveryChunk(t *testing.T) {
	p := NewPool(3)
	defer p.Close()
	for round := range 6 {
		if round%2 == 1 {
			time.Sleep(10 * spinFor)
		}
		s := &slowTask{done: make([]bool, 12)}
		p.For(s, len(s.done), 1)
		for i, d := range s.done {
			if !d {
				t.Fatalf("round %d: For returned before index %d was done", round, i)
			}
		}
	}
}
