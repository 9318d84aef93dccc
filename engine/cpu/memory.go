package cpu

import (
	"cmp"
	"slices"
	"sync"
)

// memory is what the programs compiled by one backend share. They run one
// at a time (Program.Run holds run), so when one runs the others' working
// values are dead, and so is what their contraction engines packed:
//
//   - slots: a program's scratch slots (all but those holding its outputs,
//     which must survive other programs' runs) are taken from an arena of
//     buffers that every program of the backend uses, each program using
//     each at most once, so the D and G steps of a trainer together take
//     the slots of the larger, not of both;
//   - engines: the contraction engine of an op and its operand shapes (its
//     packing buffers, padded inputs, split-K partial sums) is made once
//     for all the programs, as it is for the steps of one program.
//
// Both are counted by the programs using them and dropped when the last
// is released, so runs compiled one after another do not grow it.
type memory[T Float] struct {
	run     sync.Mutex // held while a program of the backend runs
	mu      sync.Mutex // guards slots and engines
	slots   []*arenaSlot[T]
	engines map[string]*sharedEngine
}

type arenaSlot[T Float] struct {
	data  []T
	users int
	taken bool // by the program being compiled
}

type sharedEngine struct {
	e     any
	users int
}

func newMemory[T Float]() *memory[T] {
	return &memory[T]{engines: map[string]*sharedEngine{}}
}

// programMemory is what one program holds of its backend's memory, given
// back by release.
type programMemory[T Float] struct {
	m       *memory[T]
	slots   []*arenaSlot[T]
	engines []string
}

// takeSlots returns buffers of the given sizes for one program: private
// ones where private[i], else distinct arena buffers, each the smallest
// that fits or a new one. Buffers are never grown (earlier programs hold
// them), so the saving is largest when the largest program is compiled
// first, as wgan.Steps compiles its D step before its G step.
func (m *memory[T]) takeSlots(pm *programMemory[T], sizes []int, private []bool) [][]T {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([][]T, len(sizes))
	// Largest first, so that each takes the best fit among the arena's.
	order := make([]int, 0, len(sizes))
	for i := range sizes {
		if private[i] {
			out[i] = make([]T, sizes[i])
		} else {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	for _, i := range order {
		size := sizes[i]
		var best *arenaSlot[T]
		for _, s := range m.slots {
			if !s.taken && len(s.data) >= size && (best == nil || len(s.data) < len(best.data)) {
				best = s
			}
		}
		if best == nil {
			best = &arenaSlot[T]{data: make([]T, size)}
			m.slots = append(m.slots, best)
		}
		best.taken = true
		best.users++
		pm.slots = append(pm.slots, best)
		out[i] = best.data[:size]
	}
	for _, s := range pm.slots {
		s.taken = false
	}
	return out
}

// engine returns the shared engine under key, made by mk the first time.
func (m *memory[T]) engine(pm *programMemory[T], key string, mk func() any) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.engines[key]
	if !ok {
		e = &sharedEngine{e: mk()}
		m.engines[key] = e
	}
	for _, k := range pm.engines {
		if k == key {
			return e.e
		}
	}
	e.users++
	pm.engines = append(pm.engines, key)
	return e.e
}

// release gives back what the program holds; what no program uses any more
// is dropped.
func (pm *programMemory[T]) release() {
	m := pm.m
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range pm.slots {
		s.users--
	}
	kept := m.slots[:0]
	for _, s := range m.slots {
		if s.users > 0 {
			kept = append(kept, s)
		}
	}
	clear(m.slots[len(kept):])
	m.slots = kept
	for _, k := range pm.engines {
		if e := m.engines[k]; e != nil {
			if e.users--; e.users == 0 {
				delete(m.engines, k)
			}
		}
	}
	pm.slots, pm.engines = nil, nil
}
