package cpu

import "math"

// PoisonArena fills every buffer of the backend's shared slot arena with
// NaN, so that a kernel reading a value no step of its program wrote shows.
func PoisonArena[T Float](b *Backend[T]) {
	b.mem.mu.Lock()
	defer b.mem.mu.Unlock()
	for _, s := range b.mem.slots {
		for i := range s.data {
			s.data[i] = T(math.NaN())
		}
	}
}

// ArenaElements is the size of the backend's slot arena and the number of
// shared contraction engines.
func ArenaElements[T Float](b *Backend[T]) (slots, engines int) {
	b.mem.mu.Lock()
	defer b.mem.mu.Unlock()
	for _, s := range b.mem.slots {
		slots += len(s.data)
	}
	return slots, len(b.mem.engines)
}
