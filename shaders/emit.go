package shaders

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"

	"github.com/wgangp/wgangp/engine"
)

// The templates of the elementwise, reduction and matmul kernels (the
// convolutions have their own).
//
//go:embed templates/map.wgsl templates/reduce_serial.wgsl templates/reduce_tree.wgsl templates/matmul.wgsl
var coreTemplateFS embed.FS

var coreTemplates = template.Must(template.New("").Option("missingkey=error").ParseFS(coreTemplateFS, "templates/*.wgsl"))

// maxGroups is the number of workgroups a dispatch may have in one
// dimension under WebGPU's default limits.
const maxGroups = 65535

// binding is one buffer of a kernel: its WGSL name and access. Storage is
// an array<f32>, or an array<vec4<f32>> with Vec4; a uniform is an f32, or
// with Vecs > 0 the array<vec4<f32>, Vecs> holding a whole small buffer.
type binding struct {
	Name   string
	Access Access
	Vec4   bool
	Vecs   int
}

// at is the WGSL expression of element i (a u32 expression) of the
// buffer bound as b (an array<f32> or a uniform array).
func (b binding) at(i string) string {
	if b.Access == Uniform && b.Vecs > 0 {
		return fmt.Sprintf("%s[(%s) / 4u][(%[2]s) %% 4u]", b.Name, i)
	}
	return fmt.Sprintf("%s[%s]", b.Name, i)
}

// uniformMax is the most bytes a uniform binding may hold (WebGPU's default
// maxUniformBufferBindingSize).
const uniformMax = 64 << 10

// uniformVecs is the length in vec4s of a uniform array holding a buffer
// of size floats, and whether the buffer fits one (0: unknown, no).
//
// A software adapter gains by them: lavapipe (Mesa 22.3) loads a storage
// value lane by lane in a loop, with a branch for each lane's exec mask
// and each component's bounds, but gathers a uniform one in a few
// unrolled instructions a lane. Alternated in one process on lavapipe (15
// pairs, medians, F=8/16's shapes): disc.conv2's and disc.conv3's direct
// Conv2D ran 1.2× faster with their weights uniform (1.0 for disc.conv4,
// whose weights do not fit), a bias add and leaky ReLU over [16 8 32 32]
// 1.10× with its bias uniform, a layer norm's apply over [16 16 16 16]
// 1.25×, its variance sum 1.12×.
func uniformVecs(size int) (int, bool) {
	vecs := divCeil(max(size, 1), 4)
	return vecs, size > 0 && 16*vecs <= uniformMax
}

// readBinding is the binding named name of a buffer of size floats that a
// kernel only reads element by element: on a software adapter
// (Options.Direct) a uniform array where the buffer fits one, else
// read-only storage.
func readBinding(name string, size int) binding {
	if vecs, ok := uniformVecs(size); ok && compileOpts.Direct {
		return binding{Name: name, Access: Uniform, Vecs: vecs}
	}
	return binding{Name: name, Access: Read}
}

// declare writes the WGSL declarations of bindings, in binding order.
func declare(bs []binding) string { return declareFrom(0, bs) }

// declareFrom declares bindings as bindings start, start+1, ….
func declareFrom(start int, bs []binding) string {
	var sb strings.Builder
	for i, b := range bs {
		i += start
		switch b.Access {
		case Uniform:
			if b.Vecs > 0 {
				fmt.Fprintf(&sb, "@group(0) @binding(%d) var<uniform> %s: array<vec4<f32>, %d>;\n", i, b.Name, b.Vecs)
				continue
			}
			fmt.Fprintf(&sb, "@group(0) @binding(%d) var<uniform> %s: f32;\n", i, b.Name)
		default:
			mode, elem := "read", "f32"
			if b.Access == ReadWrite {
				mode = "read_write"
			}
			if b.Vec4 {
				elem = "vec4<f32>"
			}
			fmt.Fprintf(&sb, "@group(0) @binding(%d) var<storage, %s> %s: array<%s>;\n", i, mode, b.Name, elem)
		}
	}
	return sb.String()
}

// accesses lists the access of each binding, for Kernel.Bindings.
func accesses(bs []binding) []Access {
	a := make([]Access, len(bs))
	for i, b := range bs {
		a[i] = b.Access
	}
	return a
}

// fillTemplate fills the named template with data.
func fillTemplate(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := coreTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("shaders: template %s: %w", name, err)
	}
	return buf.String(), nil
}

// lit is v as a WGSL f32 expression, exact for float32 values.
func lit(v float64) string {
	f := float32(v)
	switch {
	case f != f:
		return "bitcast<f32>(0x7fc00000u)"
	case math.IsInf(float64(f), 1):
		return "bitcast<f32>(0x7f800000u)"
	case math.IsInf(float64(f), -1):
		return "bitcast<f32>(0xff800000u)"
	}
	s := strconv.FormatFloat(float64(f), 'g', -1, 32)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// num is v as float32 in kernel names: 0.2, 1e-08, nan, +inf.
func num(v float64) string {
	return strings.ToLower(strconv.FormatFloat(float64(float32(v)), 'g', -1, 32))
}

// groups2D spreads n workgroups over a 2-d dispatch within maxGroups per
// dimension. Kernels number their workgroups wg.x + wg.y·row and skip the
// ones at n or past it.
func groups2D(n int) (row int, size [3]int) {
	if n <= maxGroups {
		return max(n, 1), [3]int{max(n, 1), 1, 1}
	}
	y := (n + maxGroups - 1) / maxGroups
	x := (n + y - 1) / y
	return x, [3]int{x, y, 1}
}

// divCeil is ⌈a/b⌉ for positive b.
func divCeil(a, b int) int { return (a + b - 1) / b }

// dims writes a shape for kernel names: 3x5x7.
func dims(s engine.Shape) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, "x")
}

// merged is a broadcast or reduction between a full shape and a small one
// (same rank, the small one's dimensions 1 or equal) with dimensions of
// size 1 dropped and neighbours that are both kept or both reduced merged.
type merged struct {
	size    []int  // outermost first
	stride  []int  // in the full tensor (row-major)
	reduced []bool // whether the small shape has 1 there
}

func merge(full, small engine.Shape) merged {
	var m merged
	m.size, m.reduced = engine.MergeDims(full, small)
	m.stride = make([]int, len(m.size))
	s := 1
	for i := len(m.size) - 1; i >= 0; i-- {
		m.stride[i] = s
		s *= m.size[i]
	}
	return m
}

// part selects the kept (reduced=false) or reduced dimensions of m: their
// sizes and full strides, outermost first.
func (m merged) part(reduced bool) (size, stride []int) {
	for i := range m.size {
		if m.reduced[i] == reduced {
			size = append(size, m.size[i])
			stride = append(stride, m.stride[i])
		}
	}
	return size, stride
}

// offset writes the WGSL expression of Σ_d coord_d(v)·stride[d], where
// coord_d(v) are the row-major coordinates of the u32 expression v over
// size. Dimensions of stride 0 add nothing; with none left it is "0u".
func offset(v string, size, stride []int) string {
	var terms []string
	inner := 1 // product of the sizes inside dimension d
	for d := len(size) - 1; d >= 0; d-- {
		if stride[d] == 0 {
			inner *= size[d]
			continue
		}
		c := v
		if inner > 1 {
			c = fmt.Sprintf("(%s / %du)", v, inner)
		}
		if d > 0 {
			c = fmt.Sprintf("(%s %% %du)", c, size[d])
		}
		if stride[d] != 1 {
			c = fmt.Sprintf("%s * %du", c, stride[d])
		}
		terms = append(terms, c)
		inner *= size[d]
	}
	if len(terms) == 0 {
		return "0u"
	}
	for i, j := 0, len(terms)-1; i < j; i, j = i+1, j-1 {
		terms[i], terms[j] = terms[j], terms[i]
	}
	return strings.Join(terms, " + ")
}
