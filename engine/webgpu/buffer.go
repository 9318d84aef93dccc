package webgpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

// Buffer is a tensor of float32 on the device.
type Buffer struct {
	b   *Backend
	buf *wgpu.Buffer
	n   int
	// prog is the program whose output this is; nil for NewBuffer's.
	prog     *Program
	released bool
}

// Len is the number of elements.
func (x *Buffer) Len() int { return x.n }

// Release frees a buffer made by NewBuffer. Programs compiled with it keep
// the device memory alive until they are released themselves.
func (x *Buffer) Release() {
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	if _, ok := x.b.buffers[x]; ok {
		delete(x.b.buffers, x)
		x.buf.Release()
		x.released = true
	}
}

// Write uploads src; the next Run sees it.
func (x *Buffer) Write(src []float32) error {
	if len(src) != x.n {
		return fmt.Errorf("webgpu: write of %d elements into a buffer of %d", len(src), x.n)
	}
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	return x.write(wgpu.ToBytes(src))
}

// WriteFloat64 uploads src converted to float32.
func (x *Buffer) WriteFloat64(src []float64) error {
	if len(src) != x.n {
		return fmt.Errorf("webgpu: write of %d elements into a buffer of %d", len(src), x.n)
	}
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	f := wgpu.FromBytes[float32](x.b.scratchBytes(4 * len(src)))
	for i, v := range src {
		f[i] = float32(v)
	}
	return x.write(wgpu.ToBytes(f))
}

// usable reports why the buffer cannot be used, if it cannot. Callers
// hold mu.
func (x *Buffer) usable() error {
	if x.released || x.prog != nil && x.prog.done {
		return fmt.Errorf("webgpu: use of a released buffer")
	}
	return x.b.usable()
}

// write uploads data at the start of the buffer. Callers hold mu.
func (x *Buffer) write(data []byte) error {
	if err := x.usable(); err != nil {
		return err
	}
	if len(data) == 0 {
		return nil
	}
	if err := x.b.dev.writeBuffer(x.buf, data); err != nil {
		return fmt.Errorf("webgpu: upload: %w", err)
	}
	return nil
}

// Read downloads the buffer into dst, waiting for the work that writes it.
func (x *Buffer) Read(dst []float32) error {
	if len(dst) != x.n {
		return fmt.Errorf("webgpu: read of a buffer of %d elements into %d", x.n, len(dst))
	}
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	return x.read(wgpu.ToBytes(dst))
}

// ReadFloat64 downloads the buffer into dst, converted to float64.
func (x *Buffer) ReadFloat64(dst []float64) error {
	if len(dst) != x.n {
		return fmt.Errorf("webgpu: read of a buffer of %d elements into %d", x.n, len(dst))
	}
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	raw := x.b.scratchBytes(4 * len(dst))
	if err := x.read(raw); err != nil {
		return err
	}
	for i, v := range wgpu.FromBytes[float32](raw) {
		dst[i] = float64(v)
	}
	return nil
}

// read copies the first len(dst) bytes of the buffer into dst through the
// backend's staging buffer. Callers hold mu.
func (x *Buffer) read(dst []byte) error {
	b := x.b
	if err := x.usable(); err != nil {
		return err
	}
	size := uint64(len(dst))
	if size == 0 {
		return nil
	}
	if b.stagingN < size {
		if b.staging != nil {
			b.staging.Release()
			b.staging, b.stagingN = nil, 0
		}
		err := b.dev.checked(func() error {
			var err error
			b.staging, err = b.dev.dev.CreateBuffer(&wgpu.BufferDescriptor{
				Label: "readback",
				Usage: wgpu.BufferUsageMapRead | wgpu.BufferUsageCopyDst,
				Size:  size,
			})
			return err
		})
		if err != nil {
			return fmt.Errorf("webgpu: creating a readback buffer of %d bytes: %w", size, err)
		}
		b.stagingN = size
	}
	enc, err := b.dev.dev.CreateCommandEncoder(nil)
	if err != nil {
		return fmt.Errorf("webgpu: readback: %w", err)
	}
	defer enc.Release()
	if err := enc.CopyBufferToBuffer(x.buf, 0, b.staging, 0, size); err != nil {
		return fmt.Errorf("webgpu: readback copy: %w", err)
	}
	cmd, err := enc.Finish(nil)
	if err != nil {
		return fmt.Errorf("webgpu: readback: %w", err)
	}
	defer cmd.Release()
	b.dev.queue.Submit(cmd)
	return b.dev.mapRead(b.staging, dst)
}
