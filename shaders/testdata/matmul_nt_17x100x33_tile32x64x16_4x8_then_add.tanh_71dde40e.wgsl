// matmul_nt_17x100x33_tile32x64x16_4x8_then_add.tanh_71dde40e: c[M,N] = a·bᵀ.
// Each workgroup computes a BM×BN tile of c; each invocation RM×RN outputs
// of it, in runs of 4 rows and 4 columns spaced 4·WY rows and 4·WX columns
// apart. K advances BK at a time: the workgroup stages a BM×BK slice of
// op(a) and a BK×BN slice of op(b) in workgroup memory as vec4 runs (zeros
// past the edges), then every invocation accumulates from there.
@group(0) @binding(0) var<storage, read> a: array<f32>; // [M, K]
@group(0) @binding(1) var<storage, read> b: array<f32>; // [N, K]
@group(0) @binding(2) var<storage, read_write> c: array<f32>; // [M, N]
@group(0) @binding(3) var<storage, read> in2: array<f32>;

const M: u32 = 17u;
const K: u32 = 100u;
const N: u32 = 33u;
const WX: u32 = 8u; // invocations along N
const WY: u32 = 8u; // invocations along M
const BM: u32 = 32u;
const BN: u32 = 64u;
const BK: u32 = 16u;
const THREADS: u32 = WX * WY;
const TILES_N: u32 = 1u; // tiles along N
const ROW: u32 = 1u; // workgroups along x of the dispatch

var<workgroup> ta: array<vec4<f32>, 128>; // ta[k·BM/4 + m/4][m%4] = op(a)[m0+m, k0+k]
var<workgroup> tb: array<vec4<f32>, 256>; // tb[k·BN/4 + n/4][n%4] = op(b)[k0+k, n0+n]

// post is what the kernel stores for the contraction's value s at flat index j of [17 33].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[(j % 33u)];
    let v2 = s + v1;
    let v3 = tanh(clamp(v2, -15.0, 15.0));
    return v3;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    let tile = wg.x + wg.y * ROW;
    let m0 = (tile / TILES_N) * BM;
    let n0 = (tile % TILES_N) * BN;
    var c0_0 = vec4<f32>();
    var c0_1 = vec4<f32>();
    var c1_0 = vec4<f32>();
    var c1_1 = vec4<f32>();
    var c2_0 = vec4<f32>();
    var c2_1 = vec4<f32>();
    var c3_0 = vec4<f32>();
    var c3_1 = vec4<f32>();
    for (var k0 = 0u; k0 < K; k0 += BK) {
        for (var q = 0u; q < BM * BK / THREADS; q++) {
            let e = t + q * THREADS;
            let mm = e / BK;
            let kk = e % BK;
            let m = m0 + mm;
            let k = k0 + kk;
            var v = 0.0;
            if (m < M && k < K) {
                v = a[m * K + k];
            }
            ta[kk * (BM / 4u) + mm / 4u][mm % 4u] = v;
        }
        for (var q = 0u; q < BN * BK / THREADS; q++) {
            let e = t + q * THREADS;
            let nn = e / BK;
            let kk = e % BK;
            let n = n0 + nn;
            let k = k0 + kk;
            var v = 0.0;
            if (n < N && k < K) {
                v = b[n * K + k];
            }
            tb[kk * (BN / 4u) + nn / 4u][nn % 4u] = v;
        }
        workgroupBarrier();
        for (var k = 0u; k < BK; k++) {
            let a0 = ta[k * (BM / 4u) + lid.y + 0u * WY];
            let b0 = tb[k * (BN / 4u) + lid.x + 0u * WX];
            let b1 = tb[k * (BN / 4u) + lid.x + 1u * WX];
            c0_0 = fma(vec4<f32>(a0.x), b0, c0_0);
            c0_1 = fma(vec4<f32>(a0.x), b1, c0_1);
            c1_0 = fma(vec4<f32>(a0.y), b0, c1_0);
            c1_1 = fma(vec4<f32>(a0.y), b1, c1_1);
            c2_0 = fma(vec4<f32>(a0.z), b0, c2_0);
            c2_1 = fma(vec4<f32>(a0.z), b1, c2_1);
            c3_0 = fma(vec4<f32>(a0.w), b0, c3_0);
            c3_1 = fma(vec4<f32>(a0.w), b1, c3_1);
        }
        workgroupBarrier();
    }
    store(m0 + 4u * (lid.y + 0u * WY) + 0u, n0 + 4u * (lid.x + 0u * WX), c0_0);
    store(m0 + 4u * (lid.y + 0u * WY) + 0u, n0 + 4u * (lid.x + 1u * WX), c0_1);
    store(m0 + 4u * (lid.y + 0u * WY) + 1u, n0 + 4u * (lid.x + 0u * WX), c1_0);
    store(m0 + 4u * (lid.y + 0u * WY) + 1u, n0 + 4u * (lid.x + 1u * WX), c1_1);
    store(m0 + 4u * (lid.y + 0u * WY) + 2u, n0 + 4u * (lid.x + 0u * WX), c2_0);
    store(m0 + 4u * (lid.y + 0u * WY) + 2u, n0 + 4u * (lid.x + 1u * WX), c2_1);
    store(m0 + 4u * (lid.y + 0u * WY) + 3u, n0 + 4u * (lid.x + 0u * WX), c3_0);
    store(m0 + 4u * (lid.y + 0u * WY) + 3u, n0 + 4u * (lid.x + 1u * WX), c3_1);
}

// store writes the outputs c[m, n..n+3] that are inside c.
fn store(m: u32, n: u32, v: vec4<f32>) {
    if (m >= M) {
        return;
    }
    for (var j = 0u; j < 4u; j++) {
        if (n + j < N) {
            c[m * N + n + j] = post(m * N + n + j, v[j]);
        }
    }
}
