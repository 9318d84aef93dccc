// matmul_tn_64x100x1024_tile64x64x16_8x8: c[M,N] = aᵀ·b.
// Each workgroup computes a BM×BN tile of c; each invocation RM×RN outputs
// of it, in runs of 4 rows and 4 columns spaced 4·WY rows and 4·WX columns
// apart. K advances BK at a time: the workgroup stages a BM×BK slice of
// op(a) and a BK×BN slice of op(b) in workgroup memory as vec4 runs (zeros
// past the edges), then every invocation accumulates from there.
@group(0) @binding(0) var<storage, read> a: array<f32>; // [K, M]
@group(0) @binding(1) var<storage, read> b: array<f32>; // [K, N]
@group(0) @binding(2) var<storage, read_write> c: array<f32>; // [M, N]

const M: u32 = 64u;
const K: u32 = 100u;
const N: u32 = 1024u;
const WX: u32 = 8u; // invocations along N
const WY: u32 = 8u; // invocations along M
const BM: u32 = 64u;
const BN: u32 = 64u;
const BK: u32 = 16u;
const THREADS: u32 = WX * WY;
const TILES_N: u32 = 16u; // tiles along N
const ROW: u32 = 16u; // workgroups along x of the dispatch

var<workgroup> ta: array<vec4<f32>, 256>; // ta[k·BM/4 + m/4][m%4] = op(a)[m0+m, k0+k]
var<workgroup> tb: array<vec4<f32>, 256>; // tb[k·BN/4 + n/4][n%4] = op(b)[k0+k, n0+n]

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
    var c4_0 = vec4<f32>();
    var c4_1 = vec4<f32>();
    var c5_0 = vec4<f32>();
    var c5_1 = vec4<f32>();
    var c6_0 = vec4<f32>();
    var c6_1 = vec4<f32>();
    var c7_0 = vec4<f32>();
    var c7_1 = vec4<f32>();
    for (var k0 = 0u; k0 < K; k0 += BK) {
        for (var q = 0u; q < BM * BK / THREADS; q++) {
            let e = t + q * THREADS;
            let kk = e / BM;
            let mm = e % BM;
            let m = m0 + mm;
            let k = k0 + kk;
            var v = 0.0;
            if (m < M && k < K) {
                v = a[k * M + m];
            }
            ta[kk * (BM / 4u) + mm / 4u][mm % 4u] = v;
        }
        for (var q = 0u; q < BN * BK / THREADS; q++) {
            let e = t + q * THREADS;
            let kk = e / BN;
            let nn = e % BN;
            let n = n0 + nn;
            let k = k0 + kk;
            var v = 0.0;
            if (n < N && k < K) {
                v = b[k * N + n];
            }
            tb[kk * (BN / 4u) + nn / 4u][nn % 4u] = v;
        }
        workgroupBarrier();
        for (var k = 0u; k < BK; k++) {
            let a0 = ta[k * (BM / 4u) + lid.y + 0u * WY];
            let a1 = ta[k * (BM / 4u) + lid.y + 1u * WY];
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
            c4_0 = fma(vec4<f32>(a1.x), b0, c4_0);
            c4_1 = fma(vec4<f32>(a1.x), b1, c4_1);
            c5_0 = fma(vec4<f32>(a1.y), b0, c5_0);
            c5_1 = fma(vec4<f32>(a1.y), b1, c5_1);
            c6_0 = fma(vec4<f32>(a1.z), b0, c6_0);
            c6_1 = fma(vec4<f32>(a1.z), b1, c6_1);
            c7_0 = fma(vec4<f32>(a1.w), b0, c7_0);
            c7_1 = fma(vec4<f32>(a1.w), b1, c7_1);
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
    store(m0 + 4u * (lid.y + 1u * WY) + 0u, n0 + 4u * (lid.x + 0u * WX), c4_0);
    store(m0 + 4u * (lid.y + 1u * WY) + 0u, n0 + 4u * (lid.x + 1u * WX), c4_1);
    store(m0 + 4u * (lid.y + 1u * WY) + 1u, n0 + 4u * (lid.x + 0u * WX), c5_0);
    store(m0 + 4u * (lid.y + 1u * WY) + 1u, n0 + 4u * (lid.x + 1u * WX), c5_1);
    store(m0 + 4u * (lid.y + 1u * WY) + 2u, n0 + 4u * (lid.x + 0u * WX), c6_0);
    store(m0 + 4u * (lid.y + 1u * WY) + 2u, n0 + 4u * (lid.x + 1u * WX), c6_1);
    store(m0 + 4u * (lid.y + 1u * WY) + 3u, n0 + 4u * (lid.x + 0u * WX), c7_0);
    store(m0 + 4u * (lid.y + 1u * WY) + 3u, n0 + 4u * (lid.x + 1u * WX), c7_1);
}

// store writes the outputs c[m, n..n+3] that are inside c.
fn store(m: u32, n: u32, v: vec4<f32>) {
    if (m >= M) {
        return;
    }
    for (var j = 0u; j < 4u; j++) {
        if (n + j < N) {
            c[m * N + n + j] = v[j];
        }
    }
}
