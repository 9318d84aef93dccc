package webgpu

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/backendtest"
	"github.com/wgangp/wgangp/engine/cpu"
	"github.com/wgangp/wgangp/shaders"
)

func TestChoose(t *testing.T) {
	soft := AdapterInfo{Name: "llvmpipe", Type: "cpu", API: "Vulkan", Software: true}
	igpu := AdapterInfo{Name: "Intel", Type: "integrated", API: "Vulkan"}
	dgpu := AdapterInfo{Name: "NVIDIA", Type: "discrete", API: "Vulkan"}
	for _, c := range []struct {
		infos []AdapterInfo
		want  string
		pick  int // -1: an error wrapping ErrNoAdapter
	}{
		{[]AdapterInfo{soft, igpu, dgpu}, AdapterAuto, 2},
		{[]AdapterInfo{soft, igpu}, AdapterAuto, 1},
		{[]AdapterInfo{soft}, AdapterAuto, 0},
		{[]AdapterInfo{soft}, AdapterGPU, -1},
		{[]AdapterInfo{dgpu, soft}, AdapterSoftware, 1},
		{[]AdapterInfo{dgpu}, AdapterSoftware, -1},
		{nil, AdapterAuto, -1},
	} {
		i, err := choose(c.infos, c.want)
		if c.pick < 0 {
			if !errors.Is(err, ErrNoAdapter) {
				t.Errorf("choose(%v, %s) = %d, %v; want ErrNoAdapter", c.infos, c.want, i, err)
			}
			continue
		}
		if err != nil || i != c.pick {
			t.Errorf("choose(%v, %s) = %d, %v; want %d", c.infos, c.want, i, err, c.pick)
		}
	}
}

// open opens the adapter WGANGP_TEST_ADAPTER names (auto when unset) with
// NaN-poisoned buffers; without an adapter the test is skipped, except
// under CI=true or with WGANGP_TEST_ADAPTER set, where that is a failure.
func open(t *testing.T) *Backend { t.Helper(); return openWith(t, KernelsAuto) }

// openWith is open with the kernel choice kernels (Options.Kernels).
func openWith(t *testing.T, kernels string) *Backend {
	t.Helper()
	return openOptions(t, Options{PoisonNaN: true, Kernels: kernels})
}

// openOptions opens a backend with opts on the test's adapter, skipping
// or failing as open does.
func openOptions(t *testing.T, opts Options) *Backend {
	t.Helper()
	adapter := os.Getenv("WGANGP_TEST_ADAPTER")
	opts.Adapter = adapter
	b, err := Open(opts)
	if err != nil {
		if errors.Is(err, ErrNoAdapter) && os.Getenv("CI") != "true" && adapter == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestProbe(t *testing.T) {
	info, err := Probe()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	b := open(t)
	if b.Adapter() != info {
		t.Errorf("Probe found %v, Open chose %v", info, b.Adapter())
	}
	if !strings.Contains(b.Name(), info.Name) {
		t.Errorf("Name %q does not name the adapter %q", b.Name(), info.Name)
	}
}

func TestErrorsAreErrors(t *testing.T) {
	b := open(t)
	if _, err := Open(Options{Adapter: "fastest"}); err == nil {
		t.Error("unknown adapter choice accepted")
	}
	tooMany := int(min(b.limits.MaxBufferSize, b.limits.MaxStorageBufferBindingSize)/4) + 1
	if _, err := b.NewBuffer(tooMany); err == nil || !strings.Contains(err.Error(), "this device allows") {
		t.Errorf("NewBuffer(%d): %v", tooMany, err)
	}

	g := engine.NewGraph()
	x := g.Input("x", 1)
	huge := engine.BroadcastTo(x, tooMany)
	xb, err := b.NewBuffer(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Compile(engine.NewPlan([]*engine.Node{huge}, nil), map[*engine.Node]engine.Buffer{x: xb}); err == nil || !strings.Contains(err.Error(), "broadcast") {
		t.Errorf("compiling an op over the limits: %v", err)
	}
	if _, err := b.Compile(engine.NewPlan([]*engine.Node{engine.Square(x)}, nil), map[*engine.Node]engine.Buffer{x: &cpu.Buffer[float32]{Data: []float32{1}}}); err == nil {
		t.Error("a CPU buffer bound to a WebGPU program")
	}
	if err := xb.Write([]float32{1, 2}); err == nil {
		t.Error("write of 2 elements into a buffer of 1")
	}

	bad := &shaders.Kernel{Name: "bad", Source: "@compute @workgroup_size(1)\nfn main() {\n    let x: f32 = y;\n}\n", Workgroups: [3]int{1, 1, 1}}
	err = b.CompileKernel(bad)
	if err == nil || !strings.Contains(err.Error(), "does not compile") || !strings.Contains(err.Error(), "   3      let x: f32 = y;") {
		t.Errorf("compiling invalid WGSL: %v", err)
	}
	wide := &shaders.Kernel{Name: "wide", Source: "@compute @workgroup_size(1)\nfn main() {}\n", Workgroups: [3]int{int(b.limits.MaxComputeWorkgroupsPerDimension) + 1, 1, 1}}
	if err := b.CompileKernel(wide); err == nil || !strings.Contains(err.Error(), "maxComputeWorkgroupsPerDimension") {
		t.Errorf("too many workgroups: %v", err)
	}

	prog, err := b.Compile(engine.NewPlan([]*engine.Node{engine.Square(x)}, nil), map[*engine.Node]engine.Buffer{x: xb})
	if err != nil {
		t.Fatal(err)
	}
	prog.(*Program).Release()
	if err := prog.Run(); err == nil {
		t.Error("run of a released program")
	}
	if err := prog.Output(0).Read(make([]float32, 1)); err == nil {
		t.Error("read of a released program's output")
	}
	b.Close()
	if _, err := b.NewBuffer(1); err == nil {
		t.Error("NewBuffer on a closed backend")
	}
	if err := xb.Write([]float32{1}); err == nil {
		t.Error("write on a closed backend")
	}
}

// TestRunsQueueInOrder checks that writes and runs are seen in order
// without waiting in between, and that outputs read after the last run.
func TestRunsQueueInOrder(t *testing.T) {
	b := open(t)
	g := engine.NewGraph()
	x := g.Input("x", 3)
	y := engine.Sum(engine.Scale(x, 2), 0) // [1]
	xb, err := b.NewBuffer(3)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := b.Compile(engine.NewPlan([]*engine.Node{y, x}, nil), map[*engine.Node]engine.Buffer{x: xb})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := xb.Write([]float32{float32(i), 1, 2}); err != nil {
			t.Fatal(err)
		}
		if err := prog.Run(); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]float64, 1)
	if err := prog.Output(0).ReadFloat64(got); err != nil {
		t.Fatal(err)
	}
	if got[0] != 2*(4+1+2) {
		t.Errorf("sum after the last run = %g, want 14", got[0])
	}
	if prog.Output(1) != xb {
		t.Error("an output that is an input is not the input's buffer")
	}
}

// TestProfile: a profiled run times each step once (a step of several
// dispatches, a multi-pass sum, included), computes what a plain run does,
// and turning the profile off stops the reports.
func TestProfile(t *testing.T) {
	b := open(t)
	g := engine.NewGraph()
	x := g.Input("x", 64, 1024)
	y := engine.Sum(engine.Tanh(engine.Scale(x, 0.5)), 0, 1) // a sum of 2^16: several passes
	z := engine.Sum(engine.Square(x), 1)
	xb, err := b.NewBuffer(64 * 1024)
	if err != nil {
		t.Fatal(err)
	}
	plan := engine.NewPlan([]*engine.Node{y, z}, nil)
	prog, err := b.Compile(plan, map[*engine.Node]engine.Buffer{x: xb})
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, 64*1024)
	for i := range v {
		v[i] = float32(i%7) - 3
	}
	if err := xb.Write(v); err != nil {
		t.Fatal(err)
	}
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 1)
	if err := prog.Output(0).ReadFloat64(want); err != nil {
		t.Fatal(err)
	}
	steps := map[*engine.Node]int{}
	prog.(engine.Profiler).SetProfile(func(n *engine.Node, d time.Duration) {
		steps[n]++
		if d <= 0 {
			t.Errorf("step %v took %v", n, d)
		}
	})
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	if len(steps) != len(plan.Steps) {
		t.Errorf("%d steps timed, the plan has %d", len(steps), len(plan.Steps))
	}
	for _, n := range plan.Steps {
		if steps[n] != 1 {
			t.Errorf("step %v timed %d times, want once", n, steps[n])
		}
	}
	got := make([]float64, 1)
	if err := prog.Output(0).ReadFloat64(got); err != nil {
		t.Fatal(err)
	}
	if got[0] != want[0] {
		t.Errorf("profiled run: %g, plain run: %g", got[0], want[0])
	}
	prog.(engine.Profiler).SetProfile(nil)
	before := len(steps)
	if err := prog.Run(); err != nil {
		t.Fatal(err)
	}
	if steps[plan.Steps[0]] != 1 || len(steps) != before {
		t.Error("a run after SetProfile(nil) still reports steps")
	}
}

// TestConstants: a fused plan's constant steps run once, when it compiles,
// and their values last through runs (of it and of another program), with
// and without poisoning the buffers before each run (which makes Run
// compute them again).
func TestConstants(t *testing.T) {
	t.Run("poisoned", func(t *testing.T) { backendtest.CheckConstants(t, open(t), engine.PlanOptions{}) })
	t.Run("plain", func(t *testing.T) { backendtest.CheckConstants(t, openOptions(t, Options{}), engine.PlanOptions{}) })
}

// TestUsageFreed checks that a released program and buffer give back all
// the device memory the backend counted for them.
func TestUsageFreed(t *testing.T) {
	b := open(t)
	g := engine.NewGraph()
	x := g.Input("x", 1000)
	y := engine.Sum(engine.Square(engine.Scale(x, 2)), 0)
	xb, err := b.NewBuffer(1000)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := b.Compile(engine.NewPlan([]*engine.Node{y}, nil), map[*engine.Node]engine.Buffer{x: xb})
	if err != nil {
		t.Fatal(err)
	}
	if u := b.Usage(); u.Buffers != 1 || u.Programs != 1 || u.Bytes <= 4000 {
		t.Errorf("with a buffer of 1000 and a program: %+v", u)
	}
	prog.Release()
	prog.Release()
	xb.Release()
	if u := b.Usage(); u != (Usage{}) {
		t.Errorf("after Release: %+v, want nothing", u)
	}
}

// TestProgress checks the kernel-preparation reports: one per pipeline
// created, counting up to the plan's new kernels, and none for a plan whose
// kernels are all cached.
func TestProgress(t *testing.T) {
	b := open(t)
	var reports [][2]int
	b.SetProgress(func(done, total int) { reports = append(reports, [2]int{done, total}) })
	g := engine.NewGraph()
	x := g.Input("x", 64)
	y := engine.Sum(engine.Square(engine.Scale(x, 2)), 0)
	xb, err := b.NewBuffer(64)
	if err != nil {
		t.Fatal(err)
	}
	plan := engine.NewPlanWith([]*engine.Node{y, engine.Neg(x)}, nil, engine.PlanOptions{Unfused: true})
	if _, err := b.Compile(plan, map[*engine.Node]engine.Buffer{x: xb}); err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("reports %v: want one per new kernel, at least 2", reports)
	}
	for i, r := range reports {
		if r != [2]int{i + 1, reports[0][1]} || r[1] != len(reports) {
			t.Errorf("reports %v: want 1/n … n/n", reports)
			break
		}
	}
	reports = nil
	if _, err := b.Compile(plan, map[*engine.Node]engine.Buffer{x: xb}); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 0 {
		t.Errorf("a plan of cached kernels reported %v", reports)
	}
}

// TestPipelinesAtOnce compiles a batch of kernels at once, as Compile does
// (concurrently natively, createComputePipelineAsync in the browser), with
// one that does not compile among them: the error names that one, with its
// source, whichever call its error reached; the others are made and cached,
// and the progress counts each made kernel once.
func TestPipelinesAtOnce(t *testing.T) {
	b := open(t)
	var ks []*shaders.Kernel
	for i := range 12 {
		src := fmt.Sprintf("@group(0) @binding(0) var<storage, read_write> v: array<f32>;\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) id: vec3<u32>) {\n    v[id.x] = v[id.x] * %d.0 + 1.0;\n}\n", i+2)
		ks = append(ks, &shaders.Kernel{Name: fmt.Sprintf("good%d", i), Source: src, Bindings: []shaders.Access{shaders.ReadWrite}, Workgroups: [3]int{1, 1, 1}})
	}
	bad := &shaders.Kernel{Name: "bad7", Source: "@compute @workgroup_size(1)\nfn main() {\n    let x: f32 = y;\n}\n", Workgroups: [3]int{1, 1, 1}}
	batch := append(append(append([]*shaders.Kernel{}, ks[:7]...), bad), ks[7:]...)
	made := 0
	b.mu.Lock()
	err := b.compilePipelines(batch, func(int, int) { made++ })
	b.mu.Unlock()
	if err == nil || !strings.Contains(err.Error(), "kernel bad7 does not compile") || !strings.Contains(err.Error(), "   3      let x: f32 = y;") {
		t.Fatalf("a batch with one invalid kernel: %v", err)
	}
	if made > len(ks) {
		t.Errorf("progress counted %d kernels made of %d good ones", made, len(ks))
	}
	for _, k := range ks {
		if b.pipelines[kernelKey(k)] == nil {
			t.Errorf("kernel %s not cached after the batch", k.Name)
		}
	}
	if b.pipelines[kernelKey(bad)] != nil {
		t.Error("the invalid kernel was cached")
	}
	// The device is still good for a plan.
	g := engine.NewGraph()
	x := g.Input("x", 64)
	xb, err := b.NewBuffer(64)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Compile(engine.NewPlan([]*engine.Node{engine.Square(x)}, nil), map[*engine.Node]engine.Buffer{x: xb}); err != nil {
		t.Fatalf("a plan after the failed batch: %v", err)
	}
}
