{{define "matmul.wgsl" -}}
// {{.Name}}: c[M,N] = {{.OpA}}·{{.OpB}}.
// Each workgroup computes a BM×BN tile of c; each invocation RM×RN outputs
// of it, in runs of 4 rows and 4 columns spaced 4·WY rows and 4·WX columns
// apart. K advances BK at a time: the workgroup stages a BM×BK slice of
// op(a) and a BK×BN slice of op(b) in workgroup memory as vec4 runs (zeros
// past the edges), then every invocation accumulates from there.
@group(0) @binding(0) var<storage, read> a: array<f32>; // {{.ShapeA}}
@group(0) @binding(1) var<storage, read> b: array<f32>; // {{.ShapeB}}
@group(0) @binding(2) var<storage, read_write> c: array<f32>; // [M, N]
{{.Extra}}
const M: u32 = {{.M}}u;
const K: u32 = {{.K}}u;
const N: u32 = {{.N}}u;
const WX: u32 = {{.WX}}u; // invocations along N
const WY: u32 = {{.WY}}u; // invocations along M
const BM: u32 = {{.BM}}u;
const BN: u32 = {{.BN}}u;
const BK: u32 = {{.BK}}u;
const THREADS: u32 = WX * WY;
const TILES_N: u32 = {{.TilesN}}u; // tiles along N
const ROW: u32 = {{.Row}}u; // workgroups along x of the dispatch

var<workgroup> ta: array<vec4<f32>, {{.SizeA}}>; // ta[k·BM/4 + m/4][m%4] = op(a)[m0+m, k0+k]
var<workgroup> tb: array<vec4<f32>, {{.SizeB}}>; // tb[k·BN/4 + n/4][n%4] = op(b)[k0+k, n0+n]
{{if .Post}}
{{.Post}}{{end}}
@compute @workgroup_size({{.WX}}, {{.WY}})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    let tile = wg.x + wg.y * ROW;
    let m0 = (tile / TILES_N) * BM;
    let n0 = (tile % TILES_N) * BN;
{{.Accumulators}}    for (var k0 = 0u; k0 < K; k0 += BK) {
        for (var q = 0u; q < BM * BK / THREADS; q++) {
            let e = t + q * THREADS;
{{.LoadA}}        }
        for (var q = 0u; q < BN * BK / THREADS; q++) {
            let e = t + q * THREADS;
{{.LoadB}}        }
        workgroupBarrier();
        for (var k = 0u; k < BK; k++) {
{{.Inner}}        }
        workgroupBarrier();
    }
{{.Stores}}}

// store writes the outputs c[m, n..n+3] that are inside c.
fn store(m: u32, n: u32, v: vec4<f32>) {
    if (m >= M) {
        return;
    }
    for (var j = 0u; j < 4u; j++) {
        if (n + j < N) {
{{if .Post}}            c[m * N + n + j] = post(m * N + n + j, v[j]);
{{else}}            c[m * N + n + j] = v[j];
{{end}}        }
    }
}
{{end}}
