// {{.Name}}
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of {{.TX}}×{{.TY}} invocations
// computes a {{.BM}}×{{.BN}} tile, each invocation a {{.RM}}×{{.RN}} block
// (vec4 along n). The depth advances {{.BK}} at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).{{if gt .Parts 1}}
// The kernel computes {{.Parts}} GEMMs of the same M (the phases of one op),
// each in a range of the workgroups: a choice uniform in the workgroup,
// with N, K and the index maps of its own (constants suffixed _i); the
// accumulators and the store after the branches are shared.{{end}}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
{{.Extra}}
const M = {{.M}}u;
const BK = {{.BK}}u;
const QA = {{.QA}}u; // A quads per depth row of a tile (BM/4)
const QB = {{.QB}}u; // B quads per depth row of a tile (BN/4)
const TX = {{.TX}}u;
const TY = {{.TY}}u;
const GRID_X = {{.GridX}}u;
{{.Consts}}
var<workgroup> sa: array<vec4<f32>, {{.SA}}>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, {{.SB}}>; // [BK][QB]
{{if .Post}}
{{.Post}}{{end}}
@compute @workgroup_size({{.TX}}, {{.TY}}, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = wid.y * GRID_X + wid.x;
{{.Body}}}
{{define "gemm_consts"}}const N{{.Sfx}} = {{.N}}u;
const K{{.Sfx}} = {{.K}}u;
const TILES_N{{.Sfx}} = {{.TilesN}}u;
const SPLIT_K{{.Sfx}} = {{.SplitK}}u; // depth per split, a multiple of BK
{{end}}{{define "gemm_part"}}	let tile = wg{{if .Start}} - {{.Start}}u{{end}};
	{{if not .Shared}}let {{end}}m0 = (tile / TILES_N{{.Sfx}}) * {{.BM}}u;
	{{if not .Shared}}let {{end}}n0 = (tile % TILES_N{{.Sfx}}) * {{.BN}}u;
	let kbeg = wid.z * SPLIT_K{{.Sfx}};
	let kend = min(kbeg + SPLIT_K{{.Sfx}}, K{{.Sfx}});

	// The quads of A and B rows this invocation loads, fixed for all depths.
	let qa = t % QA;
	let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
{{.SetupA}}	let qb = t % QB;
	let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
{{.SetupB}}{{if not .Shared}}
{{.Zero}}{{end}}
	for (var k0 = kbeg; k0 < kend; k0 += BK) {
{{.LoadA}}{{.LoadB}}		workgroupBarrier();
		for (var kk = 0u; kk < BK; kk++) {
{{.Product}}		}
		workgroupBarrier();
	}
{{.Store}}{{end -}}
