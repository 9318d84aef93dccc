//go:build js

package webgpu

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"syscall/js"
	"unsafe"

	"github.com/cogentcore/webgpu/wgpu"
)

// device is the browser side: navigator.gpu. The binding's js half does
// not forward required limits, reports no errors and says nothing about
// the adapter, so the adapter and device are requested here through
// syscall/js, errors come from error scopes and the device's
// "uncapturederror" event, and the binding wraps the device for the rest.
// Everything that waits on a promise (requesting the device, error scopes,
// mapping for readback) must run in a goroutine of its own, never in a
// JavaScript callback.
type device struct {
	js     js.Value // GPUDevice
	dev    *wgpu.Device
	queue  *wgpu.Queue
	info   AdapterInfo
	limits wgpu.Limits
	lost   error  // set by the device.lost promise
	failed string // the last uncaptured error, reported once
	funcs  []js.Func
}

// triedAPIs names what Open searches, for its error.
const triedAPIs = "navigator.gpu"

// noAdapterHint says where WebGPU comes from in a browser.
func noAdapterHint() string {
	return "; this browser has no WebGPU or it is turned off (Chrome and Edge 113+, Safari 26+, Firefox 141+ have it)"
}

// computeLimits are the limits requested at the adapter's values: the ones
// that bound what the kernels and buffers of this package may use.
var computeLimits = []string{
	"maxBufferSize", "maxStorageBufferBindingSize", "maxStorageBuffersPerShaderStage",
	"maxBindGroups", "maxBindingsPerBindGroup",
	"maxComputeWorkgroupStorageSize", "maxComputeInvocationsPerWorkgroup",
	"maxComputeWorkgroupSizeX", "maxComputeWorkgroupSizeY", "maxComputeWorkgroupSizeZ",
	"maxComputeWorkgroupsPerDimension",
}

// await waits for a promise and returns its value, or its rejection as an
// error.
func await(promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	defer onValue.Release()
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := args[0].Call("toString").String()
		done <- result{err: errors.New(msg)}
		return nil
	})
	defer onError.Release()
	promise.Call("then", onValue, onError)
	r := <-done
	return r.v, r.err
}

// requestAdapter asks navigator.gpu for the adapter that want calls for.
func requestAdapter(want string) (js.Value, AdapterInfo, error) {
	gpu := js.Global().Get("navigator").Get("gpu")
	if !gpu.Truthy() {
		return js.Value{}, AdapterInfo{}, fmt.Errorf("webgpu: %w: navigator.gpu is missing%s", ErrNoAdapter, noAdapterHint())
	}
	ask := func(fallback bool) js.Value {
		opts := map[string]any{"powerPreference": "high-performance"}
		if fallback {
			opts["forceFallbackAdapter"] = true
		}
		a, err := await(gpu.Call("requestAdapter", opts))
		if err != nil || !a.Truthy() {
			return js.Null()
		}
		return a
	}
	a := ask(want == AdapterSoftware)
	if !a.Truthy() && want == AdapterAuto {
		a = ask(true)
	}
	var infos []AdapterInfo
	if a.Truthy() {
		infos = append(infos, describeJS(a))
	}
	if _, err := choose(infos, want); err != nil {
		return js.Value{}, AdapterInfo{}, err
	}
	return a, infos[0], nil
}

// describeJS reads a GPUAdapter's info. Browsers say little: the type is
// "cpu" for their software fallback and "unknown" otherwise.
func describeJS(a js.Value) AdapterInfo {
	info := a.Get("info")
	field := func(name string) string {
		if !info.Truthy() {
			return ""
		}
		if v := info.Get(name); v.Type() == js.TypeString {
			return v.String()
		}
		return ""
	}
	name := field("description")
	if name == "" {
		name = strings.TrimSpace(field("vendor") + " " + field("architecture"))
	}
	if name == "" {
		name = "browser adapter"
	}
	soft := a.Get("isFallbackAdapter").Truthy() || info.Truthy() && info.Get("isFallbackAdapter").Truthy() ||
		isSoftwareName(name+" "+field("architecture"))
	typ := "unknown"
	if soft {
		typ = "cpu"
	}
	return AdapterInfo{Name: name, Type: typ, API: "browser", Software: soft}
}

func probe() (AdapterInfo, error) {
	_, info, err := requestAdapter(AdapterAuto)
	return info, err
}

func openDevice(want string) (*device, error) {
	mem := js.Global().Get("wasm")
	if !mem.Truthy() || !mem.Get("instance").Truthy() || !mem.Get("instance").Get("exports").Get("mem").Truthy() {
		return nil, errors.New("webgpu: the page's loader must keep the WebAssembly instantiation result in globalThis.wasm (the binding uploads through globalThis.wasm.instance.exports.mem)")
	}
	a, info, err := requestAdapter(want)
	if err != nil {
		return nil, err
	}
	required := map[string]any{}
	limits := a.Get("limits")
	for _, name := range computeLimits {
		if v := limits.Get(name); v.Type() == js.TypeNumber {
			required[name] = v.Float()
		}
	}
	dv, err := await(a.Call("requestDevice", map[string]any{"label": "wgangp", "requiredLimits": required}))
	if err != nil || !dv.Truthy() {
		return nil, fmt.Errorf("webgpu: creating a device on %v: %v", info, err)
	}
	wd := wgpu.NewDevice(dv)
	d := &device{js: dv, dev: &wd, info: info}
	d.queue = d.dev.GetQueue()
	d.limits = d.dev.GetLimits().Limits
	onLost := js.FuncOf(func(_ js.Value, args []js.Value) any {
		d.lost = fmt.Errorf("webgpu: device lost (%v): %s", d.info, args[0].Get("message").String())
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		d.failed = args[0].Get("error").Get("message").String()
		return nil
	})
	d.funcs = append(d.funcs, onLost, onError)
	dv.Get("lost").Call("then", onLost)
	dv.Call("addEventListener", "uncapturederror", onError)
	return d, nil
}

// checked runs calls that create something on the device inside error
// scopes and returns the first error they caught.
func (d *device) checked(f func() error) error {
	d.js.Call("pushErrorScope", "out-of-memory")
	d.js.Call("pushErrorScope", "validation")
	err := f()
	for range 2 {
		e, perr := await(d.js.Call("popErrorScope"))
		switch {
		case err != nil:
		case perr != nil:
			err = perr
		case e.Truthy():
			err = errors.New(e.Get("message").String())
		}
	}
	return err
}

// endPass ends a compute pass; in the browser its errors surface as
// uncaptured errors.
func (d *device) endPass(p *wgpu.ComputePassEncoder) error {
	p.End()
	return nil
}

// lostError is the error that made the device unusable, or an uncaptured
// error since the last call.
func (d *device) lostError() error {
	if d.lost != nil {
		return d.lost
	}
	if d.failed != "" {
		msg := d.failed
		d.failed = ""
		return fmt.Errorf("webgpu: %s", msg)
	}
	return nil
}

// writeBuffer uploads data to the start of buf. The binding views Go's
// memory through the wasm memory's ArrayBuffer, fetched just before the
// call; if memory grows in between (Go allocating while it converts the
// arguments), that ArrayBuffer is detached and the call throws. Growth is
// rare and the next attempt sees the new buffer, so it is retried.
func (d *device) writeBuffer(buf *wgpu.Buffer, data []byte) (err error) {
	for range 3 {
		if err = tryWrite(d.queue, buf, data); err == nil {
			return nil
		}
	}
	return err
}

func tryWrite(q *wgpu.Queue, buf *wgpu.Buffer, data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("webgpu: upload failed: %v", r)
		}
	}()
	return q.WriteBuffer(buf, 0, data)
}

// mapRead maps buf for reading (the binding waits on mapAsync), copies its
// first len(dst) bytes out (getMappedRange returns a copy here) and
// unmaps it. The binding reports a rejected mapAsync as success, so a lost
// device is checked after, and a failed mapping shows up as an exception
// from getMappedRange.
func (d *device) mapRead(buf *wgpu.Buffer, dst []byte) (err error) {
	if err := buf.MapAsync(wgpu.MapModeRead, 0, uint64(len(dst)), func(wgpu.BufferMapAsyncStatus) {}); err != nil {
		return fmt.Errorf("webgpu: mapping for readback: %w", err)
	}
	if err := d.lostError(); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("webgpu: readback failed: %v", r)
		}
	}()
	copy(dst, buf.GetMappedRange(0, uint(len(dst))))
	return buf.Unmap()
}

// wait returns when the device has finished the work submitted so far
// (queue.onSubmittedWorkDone).
func (d *device) wait() error {
	if _, err := await(d.js.Get("queue").Call("onSubmittedWorkDone")); err != nil {
		return fmt.Errorf("webgpu: waiting for the queue: %w", err)
	}
	return d.lostError()
}

func (d *device) release() {
	d.js.Call("destroy")
	for _, f := range d.funcs {
		f.Release()
	}
}

// createPipelines makes the jobs' shader modules, then asks for all their
// pipelines with createComputePipelineAsync and waits for each in turn.
// The browser compiles them off its GPU process's main thread, several at
// once: with the synchronous createComputePipeline a software adapter
// compiles for a minute on that thread, and every page of the tab that
// draws with WebGL (the viewer) stalls behind it. Where the binding's
// types cannot carry the pipelines made here (bindingWraps), it falls back
// to the synchronous calls.
func (d *device) createPipelines(jobs []*pipelineJob, each func()) {
	scoped := d.checked(func() error {
		for _, j := range jobs {
			module, err := d.dev.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
				Label:          j.kernel.Name,
				WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: j.kernel.Source},
			})
			if err != nil {
				return err
			}
			j.made = &pipeline{module: module}
		}
		return nil
	})
	if scoped != nil && jobs[len(jobs)-1].made == nil {
		for _, j := range jobs {
			j.made, j.err = nil, scoped
		}
		return
	}
	if !bindingWraps {
		d.createPipelinesSync(jobs, each)
		return
	}
	promises := make([]js.Value, len(jobs))
	for i, j := range jobs {
		promises[i] = d.js.Call("createComputePipelineAsync", map[string]any{
			"label":   j.kernel.Name,
			"layout":  unwrapJS(j.layout.pipe),
			"compute": map[string]any{"module": unwrapJS(j.made.module), "entryPoint": "main"},
		})
	}
	failed := false
	for i, j := range jobs {
		v, err := await(promises[i])
		if err != nil {
			j.err = d.compileError(j.made.module, err)
			j.made, failed = nil, true
			continue
		}
		j.made.pipe = wrapJS[wgpu.ComputePipeline](v)
		if each != nil {
			each()
		}
	}
	if scoped != nil && !failed {
		// A module's error that no pipeline reported: it names no kernel.
		for _, j := range jobs {
			j.made, j.err = nil, scoped
		}
	}
}

// createPipelinesSync makes the pipelines of jobs, whose modules are made,
// with the synchronous createComputePipeline.
func (d *device) createPipelinesSync(jobs []*pipelineJob, each func()) {
	for _, j := range jobs {
		err := d.checked(func() error {
			var err error
			j.made.pipe, err = d.dev.CreateComputePipeline(&wgpu.ComputePipelineDescriptor{
				Layout:  j.layout.pipe,
				Compute: wgpu.ProgrammableStageDescriptor{Module: j.made.module, EntryPoint: "main"},
			})
			return err
		})
		if err != nil {
			j.made, j.err = nil, d.compileError(j.made.module, err)
		} else if each != nil {
			each()
		}
	}
}

// compileError is err (a pipeline that was not made) with the errors that
// the WGSL compiler reported for its module, at their lines.
func (d *device) compileError(module *wgpu.ShaderModule, err error) error {
	if !bindingWraps {
		return err
	}
	m := unwrapJS(module)
	if !m.Get("getCompilationInfo").Truthy() {
		return err
	}
	info, ierr := await(m.Call("getCompilationInfo"))
	if ierr != nil {
		return err
	}
	var lines []string
	msgs := info.Get("messages")
	for i := range msgs.Length() {
		msg := msgs.Index(i)
		if msg.Get("type").String() == "error" {
			lines = append(lines, fmt.Sprintf("line %d:%d: %s", msg.Get("lineNum").Int(), msg.Get("linePos").Int(), msg.Get("message").String()))
		}
	}
	if len(lines) == 0 {
		return err
	}
	return fmt.Errorf("%w\n%s", err, strings.Join(lines, "\n"))
}

// bindingWraps reports whether the binding's js types that createPipelines
// reaches into (see wrapJS) are laid out as it expects: a later version of
// the binding that changes them gets the synchronous calls.
var bindingWraps = oneJSValue(reflect.TypeFor[wgpu.ComputePipeline]()) &&
	oneJSValue(reflect.TypeFor[wgpu.ShaderModule]()) &&
	oneJSValue(reflect.TypeFor[wgpu.PipelineLayout]())

// wrapJS returns a *T of the binding's js half holding v. The binding
// makes its objects only through its own calls and keeps their JavaScript
// value unexported, but each is a struct of that one js.Value: a pipeline
// from createComputePipelineAsync, which the binding lacks, is wrapped
// through that layout. Only where bindingWraps holds.
func wrapJS[T any](v js.Value) *T {
	p := new(T)
	*(*js.Value)(unsafe.Pointer(p)) = v
	return p
}

// unwrapJS is the JavaScript value that p, an object of the binding,
// holds, as wrapJS lays it out. Only where bindingWraps holds.
func unwrapJS[T any](p *T) js.Value { return *(*js.Value)(unsafe.Pointer(p)) }

// oneJSValue reports whether t is a struct of exactly one js.Value.
func oneJSValue(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Type == reflect.TypeFor[js.Value]() && t.Size() == reflect.TypeFor[js.Value]().Size()
}
