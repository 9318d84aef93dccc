package shaders

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wgangp/wgangp/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.wgsl from the kernels of Examples")

// exampleOps compiles every example.
func exampleOps(t *testing.T) ([]*engine.Node, []Op) {
	t.Helper()
	var nodes []*engine.Node
	var ops []Op
	for _, e := range Examples() {
		n := e.Build(engine.NewGraph())
		op, err := CompileWith(n, e.Kernels)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		nodes = append(nodes, n)
		ops = append(ops, op)
	}
	return nodes, ops
}

// TestGolden keeps the source of every example kernel in
// testdata/<name>.wgsl; go test -run Golden -update rewrites them.
func TestGolden(t *testing.T) {
	_, ops := exampleOps(t)
	want := map[string]string{}
	for _, op := range ops {
		for _, d := range op.Dispatches {
			k := d.Kernel
			if src, ok := want[k.Name]; ok && src != k.Source {
				t.Fatalf("two kernels named %s with different sources", k.Name)
			}
			want[k.Name] = k.Source
		}
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob("testdata/*.wgsl")
		for _, f := range old {
			if _, ok := want[strings.TrimSuffix(filepath.Base(f), ".wgsl")]; !ok {
				os.Remove(f)
			}
		}
		for name, src := range want {
			if err := os.WriteFile(filepath.Join("testdata", name+".wgsl"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, src := range want {
		got, err := os.ReadFile(filepath.Join("testdata", name+".wgsl"))
		if err != nil {
			t.Errorf("%v (go test ./shaders -run Golden -update writes it)", err)
			continue
		}
		if string(got) != src {
			t.Errorf("kernel %s differs from testdata/%s.wgsl (go test ./shaders -run Golden -update rewrites it)", name, name)
		}
	}
	files, _ := filepath.Glob("testdata/*.wgsl")
	for _, f := range files {
		if _, ok := want[strings.TrimSuffix(filepath.Base(f), ".wgsl")]; !ok {
			t.Errorf("%s is no example's kernel (go test ./shaders -run Golden -update removes it)", f)
		}
	}
}

var (
	bindingRE       = regexp.MustCompile(`@group\((\d+)\) @binding\((\d+)\) var<(?:storage, (read|read_write)> (\w+): array<(?:f32|vec4<f32>)>|(uniform)> (\w+): (?:f32|array<vec4<f32>, (\d+)>));`)
	workgroupSizeRE = regexp.MustCompile(`@workgroup_size\(([^)]*)\)`)
	workgroupVarRE  = regexp.MustCompile(`var<workgroup> \w+: array<(f32|vec4<f32>), (\d+)>;`)
	nameRE          = regexp.MustCompile(`^[a-z0-9_.+-]+$`)
)

// TestKernelStructure checks what a WGSL compiler cannot: that each kernel
// agrees with its Kernel and Dispatch descriptions and stays within
// WebGPU's default limits.
func TestKernelStructure(t *testing.T) {
	nodes, ops := exampleOps(t)
	for i, op := range ops {
		n := nodes[i]
		_, effect := n.Op().(engine.Effect)
		if len(op.Dispatches) == 0 {
			t.Errorf("%v: no dispatch", n)
		}
		for _, d := range op.Dispatches {
			k := d.Kernel
			if !nameRE.MatchString(k.Name) {
				t.Errorf("kernel name %q is not a plain file name", k.Name)
			}
			decls := bindingRE.FindAllStringSubmatch(k.Source, -1)
			if len(decls) != len(k.Bindings) || strings.Count(k.Source, "@binding(") != len(decls) {
				t.Errorf("%s declares %d bindings, Bindings lists %d", k.Name, len(decls), len(k.Bindings))
				continue
			}
			for j, m := range decls {
				access := Read
				switch {
				case m[3] == "read_write":
					access = ReadWrite
				case m[5] == "uniform":
					access = Uniform
				}
				if m[7] != "" && j < len(d.Args) {
					// A uniform array holds the whole buffer bound to it.
					vecs, _ := strconv.Atoi(m[7])
					size := 0
					switch ref := d.Args[j]; ref.Kind {
					case Input:
						size = n.Input(ref.Index).Shape().Size()
					case Output:
						size = n.Shape().Size()
					case Scratch:
						size = op.Scratch[ref.Index]
					}
					if vecs != (size+3)/4 || 16*vecs > 64<<10 {
						t.Errorf("%s: uniform %s of %d vec4s, bound to %d floats (WebGPU's default limit: 64 KiB)", k.Name, m[6], vecs, size)
					}
				}
				if m[1] != "0" || m[2] != strconv.Itoa(j) || access != k.Bindings[j] {
					t.Errorf("%s: declaration %q does not match binding %d (%v)", k.Name, m[0], j, k.Bindings[j])
				}
			}
			if n := k.StorageBindings(); n > maxBindings {
				t.Errorf("%s binds %d storage buffers; WebGPU's default limit is %d", k.Name, n, maxBindings)
			}
			if strings.Count(k.Source, "@compute") != 1 || !strings.Contains(k.Source, "fn main(") {
				t.Errorf("%s: no single compute entry point main", k.Name)
			}
			if len(d.Args) != len(k.Bindings) {
				t.Errorf("%s: %d arguments for %d bindings", k.Name, len(d.Args), len(k.Bindings))
				continue
			}
			for j, a := range d.Args {
				switch {
				case a.Kind == Input && (a.Index < 0 || a.Index >= len(n.Inputs())),
					a.Kind == Scratch && (a.Index < 0 || a.Index >= len(op.Scratch)),
					a.Kind == Output && effect:
					t.Errorf("%s: argument %d %+v does not exist for %v", k.Name, j, a, n)
				case a.Kind == Output && k.Bindings[j] != ReadWrite:
					t.Errorf("%s: argument %d %+v is written but bound read-only", k.Name, j, a)
				case k.Bindings[j] == Uniform && a.Kind != Input:
					t.Errorf("%s: argument %d %+v is bound as a uniform but is no input", k.Name, j, a)
				}
				for l := j + 1; l < len(d.Args); l++ {
					if d.Args[l] == a && (k.Bindings[j] == ReadWrite || k.Bindings[l] == ReadWrite) {
						t.Errorf("%s: buffer %+v bound twice with a write", k.Name, a)
					}
				}
			}
			for j, w := range k.Workgroups {
				if w < 1 || w > maxGroups {
					t.Errorf("%s: %d workgroups in dimension %d", k.Name, w, j)
				}
			}
			size := workgroupSizeRE.FindStringSubmatch(k.Source)
			if size == nil {
				t.Errorf("%s: no workgroup size", k.Name)
				continue
			}
			invocations := 1
			for j, s := range strings.Split(size[1], ",") {
				v, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil || v < 1 || v > []int{256, 256, 64}[j] {
					t.Errorf("%s: workgroup size %q", k.Name, size[1])
				}
				invocations *= v
			}
			if invocations > 256 {
				t.Errorf("%s: %d invocations per workgroup", k.Name, invocations)
			}
			shared := 0
			for _, m := range workgroupVarRE.FindAllStringSubmatch(k.Source, -1) {
				count, _ := strconv.Atoi(m[2])
				if m[1] == "f32" {
					shared += 4 * count
				} else {
					shared += 16 * count
				}
			}
			if shared > 16384 || strings.Count(k.Source, "var<workgroup>") != len(workgroupVarRE.FindAllString(k.Source, -1)) {
				t.Errorf("%s: %d bytes of workgroup memory (or a declaration this test cannot size)", k.Name, shared)
			}
		}
	}
}

func TestGroups2D(t *testing.T) {
	for _, n := range []int{1, 255, maxGroups, maxGroups + 1, 3 * maxGroups, 1 << 24} {
		row, size := groups2D(n)
		if size[0] > maxGroups || size[1] > maxGroups || size[2] != 1 || row != size[0] || size[0]*size[1] < n || size[0]*(size[1]-1) >= n {
			t.Errorf("groups2D(%d) = %d, %v", n, row, size)
		}
	}
}

func TestLit(t *testing.T) {
	for v, want := range map[float64]string{
		2: "2.0", -1.75: "-1.75", 0.1: "0.1", 1e-8: "1e-08", 3e38: "3e+38",
	} {
		if got := lit(v); got != want {
			t.Errorf("lit(%g) = %s, want %s", v, got, want)
		}
	}
}

func TestOffset(t *testing.T) {
	// [2,3,4] with the middle dimension reduced: the kept ones are
	// sizes (2, 4) at strides (12, 1).
	m := merge(engine.Shape{2, 3, 4}, engine.Shape{2, 1, 4})
	size, stride := m.part(false)
	if got, want := offset("j", size, stride), "(j / 4u) * 12u + (j % 4u)"; got != want {
		t.Errorf("offset = %s, want %s", got, want)
	}
	size, stride = m.part(true)
	if got, want := offset("r", size, stride), "r * 4u"; got != want {
		t.Errorf("offset = %s, want %s", got, want)
	}
}
