package webgpu

// Usage is what a backend holds on its device.
type Usage struct {
	Buffers  int   // buffers made by NewBuffer and not released
	Programs int   // programs compiled and not released
	Bytes    int64 // the device memory of both: buffers, slots and scratch
}

// Usage counts what the backend holds on the device now (pipelines, cached
// for every later program, aside).
func (b *Backend) Usage() Usage {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := Usage{Buffers: len(b.buffers), Programs: len(b.programs)}
	for buf := range b.buffers {
		u.Bytes += 4 * int64(buf.n)
	}
	for p := range b.programs {
		for _, n := range p.sizes {
			u.Bytes += 4 * int64(n)
		}
	}
	return u
}

// DeviceBytes is Usage().Bytes.
func (b *Backend) DeviceBytes() int64 { return b.Usage().Bytes }
