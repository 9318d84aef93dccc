// {{.Name}}
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of {{.TX}}×{{.TY}} invocations
// computes a {{.BM}}×{{.BN}} tile, each invocation a {{.RM}}×{{.RN}} block
// (vec4 along n). The depth advances {{.BK}} at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
{{.Extra}}
const M = {{.M}}u;
const N = {{.N}}u;
const K = {{.K}}u;
const BK = {{.BK}}u;
const QA = {{.QA}}u; // A quads per depth row of a tile (BM/4)
const QB = {{.QB}}u; // B quads per depth row of a tile (BN/4)
const TX = {{.TX}}u;
const TY = {{.TY}}u;
const TILES_N = {{.TilesN}}u;
const GRID_X = {{.GridX}}u;
const SPLIT_K = {{.SplitK}}u; // depth per split, a multiple of BK

var<workgroup> sa: array<vec4<f32>, {{.SA}}>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, {{.SB}}>; // [BK][QB]
{{if .Post}}
{{.Post}}{{end}}
@compute @workgroup_size({{.TX}}, {{.TY}}, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let tile = wid.y * GRID_X + wid.x;
	let m0 = (tile / TILES_N) * {{.BM}}u;
	let n0 = (tile % TILES_N) * {{.BN}}u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows this invocation loads, fixed for all depths.
	let qa = t % QA;
	let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
{{.SetupA}}	let qb = t % QB;
	let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
{{.SetupB}}
{{.Zero}}
	for (var k0 = kbeg; k0 < kend; k0 += BK) {
{{.LoadA}}{{.LoadB}}		workgroupBarrier();
		for (var kk = 0u; kk < BK; kk++) {
{{.Product}}		}
		workgroupBarrier();
	}
{{.Store}}}
