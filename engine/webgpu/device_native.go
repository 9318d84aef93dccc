//go:build !js

package webgpu

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/cogentcore/webgpu/wgpu"
)

// device is the native side: wgpu-native through cgo. Every call that can
// fail validation returns an error (the binding wraps it in an error
// scope), so checked has nothing to add. A lost device shows up as a
// failed readback: the binding's DeviceLostCallback keeps, for C to use
// later, the address of a Go variable that nothing keeps alive, so it is
// not used.
type device struct {
	instance *wgpu.Instance
	adapter  *wgpu.Adapter
	dev      *wgpu.Device
	queue    *wgpu.Queue
	info     AdapterInfo
	limits   wgpu.Limits
	lost     error // set once a readback finds the device lost
}

func init() {
	// wgpu-native logs warnings (such as a missing config file) and the
	// validation errors that reach us as Go errors anyway to stderr.
	wgpu.SetLogLevel(wgpu.LogLevelOff)
}

// adapters lists the adapters of the primary APIs (Vulkan, Metal, D3D12),
// with their descriptions. OpenGL is left out: it is slower for compute
// and on Linux it would show lavapipe a second time. The instance is made
// without a descriptor: the binding leaves fields of the descriptor's
// native extension uninitialised (wgpu-native then aborts on a garbage
// GLES version), so the choice of APIs is made when enumerating.
func adapters() (*wgpu.Instance, []*wgpu.Adapter, []AdapterInfo) {
	inst := wgpu.CreateInstance(nil)
	list := inst.EnumerateAdapters(&wgpu.InstanceEnumerateAdapterOptons{Backends: wgpu.InstanceBackendPrimary})
	infos := make([]AdapterInfo, len(list))
	for i, a := range list {
		infos[i] = describe(a.GetInfo())
	}
	return inst, list, infos
}

// describe turns the binding's adapter info into ours. wgpu-native v22
// puts the device's name in the description and hexadecimal ids in the
// vendor and device fields.
func describe(i wgpu.AdapterInfo) AdapterInfo {
	name := i.Name
	if name == "" || strings.HasPrefix(name, "0x") {
		name = i.DriverDescription
	}
	var typ string
	switch i.AdapterType {
	case wgpu.AdapterTypeDiscreteGPU:
		typ = "discrete"
	case wgpu.AdapterTypeIntegratedGPU:
		typ = "integrated"
	case wgpu.AdapterTypeCPU:
		typ = "cpu"
	default:
		typ = "unknown"
	}
	var api string
	switch i.BackendType {
	case wgpu.BackendTypeVulkan:
		api = "Vulkan"
	case wgpu.BackendTypeMetal:
		api = "Metal"
	case wgpu.BackendTypeD3D12:
		api = "D3D12"
	default:
		api = i.BackendType.String()
	}
	return AdapterInfo{Name: name, Type: typ, API: api, Software: typ == "cpu" || isSoftwareName(name)}
}

func probe() (AdapterInfo, error) {
	inst, list, infos := adapters()
	defer inst.Release()
	for _, a := range list {
		a.Release()
	}
	i, err := choose(infos, AdapterAuto)
	if err != nil {
		return AdapterInfo{}, err
	}
	return infos[i], nil
}

func openDevice(want string) (*device, error) {
	inst, list, infos := adapters()
	pick, err := choose(infos, want)
	for i, a := range list {
		if i != pick {
			a.Release()
		}
	}
	if err != nil {
		inst.Release()
		return nil, err
	}
	a := list[pick]
	limits := a.GetLimits().Limits
	// No push constants are used, and asking for them needs a feature.
	limits.MaxPushConstantSize = 0
	dev, err := a.RequestDevice(&wgpu.DeviceDescriptor{
		Label:          "wgangp",
		RequiredLimits: &wgpu.RequiredLimits{Limits: limits},
	})
	if err != nil {
		a.Release()
		inst.Release()
		return nil, fmt.Errorf("webgpu: creating a device on %v: %w", infos[pick], err)
	}
	return &device{
		instance: inst,
		adapter:  a,
		dev:      dev,
		queue:    dev.GetQueue(),
		info:     infos[pick],
		limits:   dev.GetLimits().Limits,
	}, nil
}

// triedAPIs names what Open searches, for its error.
const triedAPIs = "Vulkan, Metal and D3D12 through wgpu-native"

// noAdapterHint says where a software adapter comes from on this system.
func noAdapterHint() string {
	switch runtime.GOOS {
	case "linux":
		return "; on Debian or Ubuntu, `apt-get install mesa-vulkan-drivers libvulkan1` provides a software one (lavapipe)"
	case "windows":
		return "; update the graphics driver (D3D12 or Vulkan)"
	}
	return ""
}

// checked runs a call that creates something on the device and returns its
// error.
func (d *device) checked(f func() error) error { return f() }

// endPass ends a compute pass; natively End reports validation errors.
func (d *device) endPass(p *wgpu.ComputePassEncoder) error { return p.End() }

// lostError is the error that made the device unusable, if any.
func (d *device) lostError() error { return d.lost }

// writeBuffer uploads data to the start of buf.
func (d *device) writeBuffer(buf *wgpu.Buffer, data []byte) error {
	return d.queue.WriteBuffer(buf, 0, data)
}

// mapRead waits for the queue, maps buf for reading and copies its first
// len(dst) bytes out. The binding gives C the address of a Go value for the
// map callback, which must not be collected before the callback runs: so
// the queue is drained first and the callback fires in the Poll right
// after MapAsync, with no wait in between.
func (d *device) mapRead(buf *wgpu.Buffer, dst []byte) error {
	d.dev.Poll(true, nil)
	status := wgpu.BufferMapAsyncStatus(^uint32(0))
	done := false
	err := buf.MapAsync(wgpu.MapModeRead, 0, uint64(len(dst)), func(s wgpu.BufferMapAsyncStatus) {
		status, done = s, true
	})
	if err != nil {
		return fmt.Errorf("webgpu: mapping for readback: %w", err)
	}
	for i := 0; !done && i < 1000; i++ {
		d.dev.Poll(true, nil)
	}
	switch {
	case !done:
		return errors.New("webgpu: readback never completed")
	case status == wgpu.BufferMapAsyncStatusDeviceLost:
		d.lost = fmt.Errorf("webgpu: device lost (%v)", d.info)
		return d.lost
	case status != wgpu.BufferMapAsyncStatusSuccess:
		return fmt.Errorf("webgpu: mapping for readback failed: %v", status)
	}
	copy(dst, buf.GetMappedRange(0, uint(len(dst))))
	if err := buf.Unmap(); err != nil {
		return fmt.Errorf("webgpu: unmapping after readback: %w", err)
	}
	return nil
}

// wait returns when the device has finished the work submitted so far.
func (d *device) wait() error {
	d.dev.Poll(true, nil)
	return d.lost
}

func (d *device) release() {
	d.queue.Release()
	d.dev.Release()
	d.adapter.Release()
	d.instance.Release()
}

// createPipelines makes the jobs' shader modules and pipelines on up to
// one goroutine per core: wgpu-native compiles each on the calling thread,
// and lavapipe's LLVM or a GPU driver's compiler runs that long. The
// binding wraps each call in its own error scope, and error scopes are one
// stack per device, so with calls running at once an error can reach
// another call's scope; an error anywhere therefore sends the whole batch
// through again one at a time, where every error lands on its own kernel.
func (d *device) createPipelines(jobs []*pipelineJob, each func()) {
	workers := min(runtime.GOMAXPROCS(0), len(jobs), 8)
	if workers > 1 {
		next := make(chan *pipelineJob)
		finished := make(chan *pipelineJob)
		for range workers {
			go func() {
				for j := range next {
					d.createPipeline(j)
					finished <- j
				}
			}()
		}
		go func() {
			for _, j := range jobs {
				next <- j
			}
			close(next)
		}()
		failed := false
		for range jobs {
			if j := <-finished; j.err != nil {
				failed = true
			} else if each != nil {
				each()
			}
		}
		close(finished)
		if !failed {
			return
		}
		for _, j := range jobs {
			if j.made != nil {
				j.made.release()
			}
			j.made, j.err = nil, nil
		}
		each = nil // counted already
	}
	for _, j := range jobs {
		if d.createPipeline(j); j.err == nil && each != nil {
			each()
		}
	}
}

// createPipeline makes one job's shader module and pipeline.
func (d *device) createPipeline(j *pipelineJob) {
	module, err := d.dev.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
		Label:          j.kernel.Name,
		WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: j.kernel.Source},
	})
	if err != nil {
		j.err = err
		return
	}
	pipe, err := d.dev.CreateComputePipeline(&wgpu.ComputePipelineDescriptor{
		Label:   j.kernel.Name,
		Layout:  j.layout.pipe,
		Compute: wgpu.ProgrammableStageDescriptor{Module: module, EntryPoint: "main"},
	})
	if err != nil {
		module.Release()
		j.err = err
		return
	}
	j.made = &pipeline{module: module, pipe: pipe}
}
