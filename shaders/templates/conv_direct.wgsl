// {{.Name}}
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a {{.RM}}×{{.RN}}
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.{{if gt .Parts 1}}
// The kernel computes {{.Parts}} GEMMs of the same M (the phases of one op),
// each in a range of the invocations, with N, K and the index maps of its
// own (constants suffixed _i); the accumulators and the store after the
// branches are shared.{{end}}

// A is read {{.VecA}}, B {{.VecB}}; an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
{{.Decls}}
const M = {{.M}}u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = {{.GridX}}u;
const BLOCKS = {{.Blocks}}u; // the invocations with a block
{{.Consts}}{{if .Post}}
{{.Post}}{{end}}
@compute @workgroup_size({{.WG}}, 1, 1)
fn main(@builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = (wid.y * GRID_X + wid.x) * {{.WG}}u + li; // the block
	if (wg >= BLOCKS) {
		return;
	}
	let lid = vec2<u32>(0u, 0u);
{{.Body}}}
{{define "direct_part"}}	let tile = wg{{if .Start}} - {{.Start}}u{{end}};
	{{if not .Shared}}let {{end}}m0 = (tile / TILES_N{{.Sfx}}) * {{.BM}}u;
	{{if not .Shared}}let {{end}}n0 = (tile % TILES_N{{.Sfx}}) * {{.BN}}u;
	let kbeg = wid.z * SPLIT_K{{.Sfx}};
	let kend = min(kbeg + SPLIT_K{{.Sfx}}, K{{.Sfx}});

	// The quads of A and B rows of the block, fixed for all depths.
{{.SetupA}}{{.SetupB}}{{if not .Shared}}
{{.Zero}}{{end}}
	for (var k = kbeg; k < kend; k += {{.Step}}u) {
{{.LoadA}}{{.LoadB}}{{.Product}}	}
{{.Store}}{{end -}}
