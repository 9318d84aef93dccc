package webgpu

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/shaders"
)

// pipelineKey identifies a pipeline: the hash of its WGSL and bindings.
type pipelineKey [sha256.Size]byte

// bindLayout is an explicit bind group layout and the pipeline layout made
// of it, shared by the kernels with the same bindings (the js side has no
// automatic layouts).
type bindLayout struct {
	group *wgpu.BindGroupLayout
	pipe  *wgpu.PipelineLayout
}

func (l *bindLayout) release() {
	l.pipe.Release()
	l.group.Release()
}

// pipeline is a compiled kernel.
type pipeline struct {
	module *wgpu.ShaderModule
	pipe   *wgpu.ComputePipeline
	layout *bindLayout
}

func (p *pipeline) release() {
	p.pipe.Release()
	p.module.Release()
}

// signature is the access pattern of a kernel's bindings, such as "rrw".
func signature(access []shaders.Access) string {
	var sb strings.Builder
	for _, a := range access {
		switch a {
		case shaders.ReadWrite:
			sb.WriteByte('w')
		case shaders.Uniform:
			sb.WriteByte('u')
		default:
			sb.WriteByte('r')
		}
	}
	return sb.String()
}

// layout returns the layouts for bindings of this signature. Callers hold mu.
func (b *Backend) layout(sig string) (*bindLayout, error) {
	if l, ok := b.layouts[sig]; ok {
		return l, nil
	}
	entries := make([]wgpu.BindGroupLayoutEntry, len(sig))
	for i, c := range sig {
		t := wgpu.BufferBindingTypeReadOnlyStorage
		switch c {
		case 'w':
			t = wgpu.BufferBindingTypeStorage
		case 'u':
			t = wgpu.BufferBindingTypeUniform
		}
		entries[i] = wgpu.BindGroupLayoutEntry{
			Binding:    uint32(i),
			Visibility: wgpu.ShaderStageCompute,
			Buffer:     wgpu.BufferBindingLayout{Type: t},
		}
	}
	l := &bindLayout{}
	err := b.dev.checked(func() error {
		var err error
		if l.group, err = b.dev.dev.CreateBindGroupLayout(&wgpu.BindGroupLayoutDescriptor{Label: sig, Entries: entries}); err != nil {
			return err
		}
		l.pipe, err = b.dev.dev.CreatePipelineLayout(&wgpu.PipelineLayoutDescriptor{
			Label:            sig,
			BindGroupLayouts: []*wgpu.BindGroupLayout{l.group},
		})
		if err != nil {
			l.group.Release()
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("webgpu: bind group layout %q: %w", sig, err)
	}
	b.layouts[sig] = l
	return l, nil
}

// CompileKernel builds the pipeline of k (cached by its source) and says
// why it cannot run on this device, if it cannot: a shader that does not
// compile (with its source, numbered), or sizes over the device's limits.
func (b *Backend) CompileKernel(k *shaders.Kernel) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return err
	}
	return b.compilePipelines([]*shaders.Kernel{k}, nil)
}

// kernelKey is the cache key of k's pipeline.
func kernelKey(k *shaders.Kernel) pipelineKey {
	return pipelineKey(sha256.Sum256([]byte(signature(k.Bindings) + "\n" + k.Source)))
}

// SetProgress makes Compile call f(done, total) after each pipeline it
// creates, total being the kernels of that plan not compiled before: what
// a front end shows as "preparing kernels 37/148" while a software adapter
// compiles for a minute. f runs with the backend locked and must not call
// it; nil turns the reports off.
func (b *Backend) SetProgress(f func(done, total int)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.progress = f
}

// checkKernel says why k cannot run on this device: more bindings or
// workgroups than its limits allow.
func (b *Backend) checkKernel(k *shaders.Kernel) error {
	if n := uint32(k.StorageBindings()); n > b.limits.MaxStorageBuffersPerShaderStage {
		return fmt.Errorf("webgpu: kernel %s binds %d storage buffers; this device allows %d (maxStorageBuffersPerShaderStage)", k.Name, n, b.limits.MaxStorageBuffersPerShaderStage)
	}
	for i, w := range k.Workgroups {
		if w < 0 || uint64(w) > uint64(b.limits.MaxComputeWorkgroupsPerDimension) {
			return fmt.Errorf("webgpu: kernel %s dispatches %d workgroups in dimension %d; this device allows %d (maxComputeWorkgroupsPerDimension)", k.Name, w, i, b.limits.MaxComputeWorkgroupsPerDimension)
		}
	}
	return nil
}

// pipelineJob is one pipeline to create: its kernel and layout in, the
// pipeline or the error out.
type pipelineJob struct {
	kernel *shaders.Kernel
	key    pipelineKey
	layout *bindLayout
	made   *pipeline
	err    error
}

// compilePipelines compiles the kernels of ks not in the cache, all at once: the
// device creates them in parallel (createComputePipelineAsync in the
// browser, so that a software adapter's minute of compiling holds neither
// the page nor the worker; concurrent calls natively). progress, if not
// nil, gets (done, total) after each pipeline is made, in the caller's
// goroutine, total being the kernels not in the cache. The first
// kernel that does not compile is the error, with its numbered source.
// Callers hold mu.
func (b *Backend) compilePipelines(ks []*shaders.Kernel, progress func(done, total int)) error {
	var jobs []*pipelineJob
	queued := map[pipelineKey]bool{}
	for _, k := range ks {
		if err := b.checkKernel(k); err != nil {
			return err
		}
		key := kernelKey(k)
		if b.pipelines[key] != nil || queued[key] {
			continue
		}
		l, err := b.layout(signature(k.Bindings))
		if err != nil {
			return err
		}
		queued[key] = true
		jobs = append(jobs, &pipelineJob{kernel: k, key: key, layout: l})
	}
	if len(jobs) == 0 {
		return nil
	}
	var each func()
	if progress != nil {
		done := 0
		each = func() {
			done++
			progress(done, len(jobs))
		}
	}
	b.dev.createPipelines(jobs, each)
	var first *pipelineJob
	for _, j := range jobs {
		if j.err == nil {
			j.made.layout = j.layout
			b.pipelines[j.key] = j.made
		} else if first == nil {
			first = j
		}
	}
	if first != nil {
		k := first.kernel
		return fmt.Errorf("webgpu: kernel %s does not compile: %w\n%s", k.Name, first.err, numbered(k.Source))
	}
	return nil
}

// Program is a compiled plan: its buffers, pipelines and bind groups, made
// once, and the dispatches of one Run in order.
type Program struct {
	b       *Backend
	owned   []*wgpu.Buffer // slots, then scratch buffers
	sizes   []int          // element count of each owned buffer
	groups  []*wgpu.BindGroup
	steps   []dispatch // what Run runs
	init    []dispatch // the constant steps', run once by Compile (and by Run after poisoning)
	inputs  []*Buffer  // the caller's buffers, kept alive with the program
	outputs []engine.Buffer
	poison  []byte // NaN bytes for the largest owned buffer, with Options.PoisonNaN
	done    bool   // released
	profile func(*engine.Node, time.Duration)
}

// dispatch is one kernel run of a Program, for a step of its plan.
type dispatch struct {
	pipe  *wgpu.ComputePipeline
	group *wgpu.BindGroup
	size  [3]uint32
	node  *engine.Node
}

// SetProfile makes Run time each step, calling f with the step and the
// wall time from submitting its dispatches to the device's finishing them
// (engine.Profiler, for bench --profile): each step is then submitted on
// its own and waited for, which is slower than a run. nil turns it off.
func (pr *Program) SetProfile(f func(step *engine.Node, d time.Duration)) {
	pr.b.mu.Lock()
	defer pr.b.mu.Unlock()
	pr.profile = f
}

// view is a buffer bound to a kernel: its first bytes.
type view struct {
	buf   *wgpu.Buffer
	bytes uint64
}

// Compile binds the plan's inputs to buffers, allocates one buffer per
// slot and one pool of scratch buffers shared by all ops, builds (or finds
// in the cache) the pipeline of every kernel and makes every bind group.
func (b *Backend) Compile(p *engine.Plan, inputs map[*engine.Node]engine.Buffer) (engine.Program, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	prog := &Program{b: b}
	for _, n := range p.Inputs {
		buf, ok := inputs[n]
		if !ok {
			return nil, fmt.Errorf("webgpu: no buffer bound to %v", n)
		}
		wb, ok := buf.(*Buffer)
		if !ok || wb.b != b {
			return nil, fmt.Errorf("webgpu: buffer bound to %v is not a buffer of this backend (%T)", n, buf)
		}
		if wb.n != n.Shape().Size() {
			return nil, fmt.Errorf("webgpu: buffer of %d elements bound to %v", wb.n, n)
		}
		prog.inputs = append(prog.inputs, wb)
	}
	ops := make([]shaders.Op, len(p.Steps))
	sopts := b.ShaderOptions()
	var pool []int // element count of each scratch buffer
	for i, n := range p.Steps {
		if _, effect := n.Op().(engine.Effect); !effect {
			if err := b.checkSize(n.Shape().Size(), n.String()); err != nil {
				return nil, err
			}
		}
		op, err := shaders.CompileWith(n, sopts)
		if err != nil {
			return nil, fmt.Errorf("webgpu: %w", err)
		}
		for k, s := range op.Scratch {
			if err := b.checkSize(s, fmt.Sprintf("scratch buffer %d of %v", k, n)); err != nil {
				return nil, err
			}
			if k == len(pool) {
				pool = append(pool, 0)
			}
			pool[k] = max(pool[k], s)
		}
		ops[i] = op
	}
	if err := prog.build(p, ops, pool); err != nil {
		prog.release()
		return nil, err
	}
	b.programs[prog] = struct{}{}
	return prog, nil
}

// build makes the program's buffers, bind groups and dispatches. Callers
// hold mu; on error the caller releases what was made.
func (pr *Program) build(p *engine.Plan, ops []shaders.Op, pool []int) error {
	b := pr.b
	// One error scope for all buffers and one for all bind groups: in the
	// browser each scope costs a round trip.
	err := b.dev.checked(func() error {
		for i, size := range append(append([]int{}, p.Slots...), pool...) {
			label := fmt.Sprintf("slot %d", i)
			if i >= len(p.Slots) {
				label = fmt.Sprintf("scratch %d", i-len(p.Slots))
			}
			buf, err := b.newGPUBuffer(size, label)
			if err != nil {
				return err
			}
			pr.owned = append(pr.owned, buf)
			pr.sizes = append(pr.sizes, size)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if b.opts.PoisonNaN {
		most := 1
		for _, s := range pr.sizes {
			most = max(most, s)
		}
		pr.poison = make([]byte, 4*most)
		nan := wgpu.FromBytes[uint32](pr.poison)
		for i := range nan {
			nan[i] = nanBits
		}
	}
	scratch := pr.owned[len(p.Slots):]
	value := func(n *engine.Node) view {
		l := p.Loc(n)
		bytes := vecBytes(n.Shape().Size())
		if l.Input >= 0 {
			return view{pr.inputs[l.Input].buf, bytes}
		}
		return view{pr.owned[l.Slot], bytes}
	}
	type pending struct {
		pipe    *pipeline
		entries []wgpu.BindGroupEntry
		size    [3]uint32
		node    *engine.Node
	}
	var todo []pending
	// Every kernel of the plan at once, so that the device compiles them
	// in parallel.
	var kernels []*shaders.Kernel
	for _, op := range ops {
		for _, d := range op.Dispatches {
			if w := d.Kernel.Workgroups; w[0] == 0 || w[1] == 0 || w[2] == 0 {
				continue // dispatched never
			}
			kernels = append(kernels, d.Kernel)
		}
	}
	if err := b.compilePipelines(kernels, b.progress); err != nil {
		return err
	}
	for i, n := range p.Steps {
		op := ops[i]
		for _, d := range op.Dispatches {
			k := d.Kernel
			if len(d.Args) != len(k.Bindings) {
				return fmt.Errorf("webgpu: kernel %s of %v has %d bindings and %d arguments", k.Name, n, len(k.Bindings), len(d.Args))
			}
			if k.Workgroups[0] == 0 || k.Workgroups[1] == 0 || k.Workgroups[2] == 0 {
				continue
			}
			views := make([]view, len(d.Args))
			for j, ref := range d.Args {
				switch ref.Kind {
				case shaders.Input:
					views[j] = value(n.Input(ref.Index))
				case shaders.Output:
					views[j] = value(n)
				case shaders.Scratch:
					views[j] = view{scratch[ref.Index], vecBytes(op.Scratch[ref.Index])}
				}
			}
			if err := checkAliasing(k, views); err != nil {
				return fmt.Errorf("%w (in %v)", err, n)
			}
			pipe := b.pipelines[kernelKey(k)]
			entries := make([]wgpu.BindGroupEntry, len(views))
			for j, v := range views {
				entries[j] = wgpu.BindGroupEntry{Binding: uint32(j), Buffer: v.buf, Size: v.bytes}
			}
			todo = append(todo, pending{pipe, entries,
				[3]uint32{uint32(k.Workgroups[0]), uint32(k.Workgroups[1]), uint32(k.Workgroups[2])}, n})
		}
	}
	err = b.dev.checked(func() error {
		for _, t := range todo {
			group, err := b.dev.dev.CreateBindGroup(&wgpu.BindGroupDescriptor{Layout: t.pipe.layout.group, Entries: t.entries})
			if err != nil {
				return err
			}
			pr.groups = append(pr.groups, group)
			pr.steps = append(pr.steps, dispatch{t.pipe.pipe, group, t.size, t.node})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("webgpu: binding the buffers of the kernels: %w", err)
	}
	for _, n := range p.Outputs {
		l := p.Loc(n)
		if l.Input >= 0 {
			pr.outputs = append(pr.outputs, pr.inputs[l.Input])
		} else {
			pr.outputs = append(pr.outputs, &Buffer{b: b, buf: pr.owned[l.Slot], n: n.Shape().Size(), prog: pr})
		}
	}
	// The constant steps (Plan.Init, first) run once, now.
	constant := map[*engine.Node]bool{}
	for _, n := range p.Steps[:p.Init] {
		constant[n] = true
	}
	k := 0
	for k < len(pr.steps) && constant[pr.steps[k].node] {
		k++
	}
	pr.init, pr.steps = pr.steps[:k], pr.steps[k:]
	return pr.submit(pr.init)
}

// checkAliasing reports a buffer bound twice in one dispatch where one of
// the bindings writes: WebGPU tracks usage per whole buffer, so that is a
// validation error even for disjoint ranges.
func checkAliasing(k *shaders.Kernel, views []view) error {
	for i := range views {
		for j := i + 1; j < len(views); j++ {
			if views[i].buf == views[j].buf && (k.Bindings[i] == shaders.ReadWrite || k.Bindings[j] == shaders.ReadWrite) {
				return fmt.Errorf("webgpu: kernel %s binds one buffer as bindings %d and %d, and writes it", k.Name, i, j)
			}
		}
	}
	return nil
}

// Run records every dispatch of the plan into one compute pass and submits
// it. It does not wait for the GPU: reading a buffer does.
func (pr *Program) Run() error {
	b := pr.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return err
	}
	if pr.done {
		return fmt.Errorf("webgpu: run of a released program")
	}
	if pr.poison != nil {
		for i, buf := range pr.owned {
			if err := b.dev.queue.WriteBuffer(buf, 0, pr.poison[:4*max(pr.sizes[i], 1)]); err != nil {
				return fmt.Errorf("webgpu: poisoning buffers: %w", err)
			}
		}
		if err := pr.submit(pr.init); err != nil {
			return err
		}
	}
	if pr.profile == nil {
		return pr.submit(pr.steps)
	}
	for i := 0; i < len(pr.steps); {
		j := i + 1
		for j < len(pr.steps) && pr.steps[j].node == pr.steps[i].node {
			j++
		}
		t := time.Now()
		if err := pr.submit(pr.steps[i:j]); err != nil {
			return err
		}
		if err := b.dev.wait(); err != nil {
			return err
		}
		pr.profile(pr.steps[i].node, time.Since(t))
		i = j
	}
	return nil
}

// submit records steps into one compute pass and submits it.
func (pr *Program) submit(steps []dispatch) error {
	b := pr.b
	if len(steps) == 0 {
		return nil
	}
	enc, err := b.dev.dev.CreateCommandEncoder(nil)
	if err != nil {
		return fmt.Errorf("webgpu: run: %w", err)
	}
	defer enc.Release()
	pass := enc.BeginComputePass(nil)
	var last *wgpu.ComputePipeline
	for _, s := range steps {
		if s.pipe != last {
			pass.SetPipeline(s.pipe)
			last = s.pipe
		}
		pass.SetBindGroup(0, s.group, nil)
		pass.DispatchWorkgroups(s.size[0], s.size[1], s.size[2])
	}
	err = b.dev.endPass(pass)
	pass.Release() // before Finish: wgpu-native still holds the pass otherwise
	if err != nil {
		return fmt.Errorf("webgpu: run: %w", err)
	}
	cmd, err := enc.Finish(nil)
	if err != nil {
		return fmt.Errorf("webgpu: run: %w", err)
	}
	b.dev.queue.Submit(cmd)
	cmd.Release()
	return nil
}

// Output is the buffer of the plan's i-th output; reading it waits for the
// last Run.
func (pr *Program) Output(i int) engine.Buffer { return pr.outputs[i] }

// Release frees the program's buffers and bind groups; its outputs become
// unusable. Pipelines stay cached on the backend.
func (pr *Program) Release() {
	pr.b.mu.Lock()
	defer pr.b.mu.Unlock()
	if _, ok := pr.b.programs[pr]; ok {
		delete(pr.b.programs, pr)
		pr.release()
	}
}

// release frees what the program made. Callers hold mu.
func (pr *Program) release() {
	for _, g := range pr.groups {
		g.Release()
	}
	for _, buf := range pr.owned {
		buf.Release()
	}
	pr.groups, pr.owned, pr.steps, pr.done = nil, nil, nil, true
}
