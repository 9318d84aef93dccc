// convfilter_1x3x7x9_1x5x7x9_s1_p1.1.1.1_3x3_tile4x64x32_4x4
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of 16×1 invocations
// computes a 4×64 tile, each invocation a 4×4 block
// (vec4 along n). The depth advances 32 at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 5u;
const BK = 32u;
const QA = 1u; // A quads per depth row of a tile (BM/4)
const QB = 16u; // B quads per depth row of a tile (BN/4)
const TX = 16u;
const TY = 1u;
const GRID_X = 2u;
const N = 27u;
const K = 63u;
const TILES_N = 1u;
const SPLIT_K = 64u; // depth per split, a multiple of BK

var<workgroup> sa: array<vec4<f32>, 32>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, 512>; // [BK][QB]

@compute @workgroup_size(16, 1, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = wid.y * GRID_X + wid.x;
	let tile = wg;
	let m0 = (tile / TILES_N) * 4u;
	let n0 = (tile % TILES_N) * 64u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows this invocation loads, fixed for all depths.
	let qa = t % QA;
	let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
	let ra_ok = ra < vec4<u32>(M);
	let ra_d0 = vec4<i32>(ra);
	let ra_off = ra_d0 * 63;
	let qb = t % QB;
	let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
	let rb_ok = rb < vec4<u32>(N);
	let rb_d2 = vec4<i32>(rb % 3u);
	let rb_q2 = rb / 3u;
	let rb_d1 = vec4<i32>(rb_q2 % 3u);
	let rb_q1 = rb_q2 / 3u;
	let rb_d0 = vec4<i32>(rb_q1);
	let rb_off = rb_d0 * 63 + rb_d1 * 9 + rb_d2 + vec4<i32>(-10);
	let rb_h = rb_d1 + vec4<i32>(-1);
	let rb_w = rb_d2 + vec4<i32>(-1);

	var c0_0 = vec4<f32>(0.0);
	var c1_0 = vec4<f32>(0.0);
	var c2_0 = vec4<f32>(0.0);
	var c3_0 = vec4<f32>(0.0);

	for (var k0 = kbeg; k0 < kend; k0 += BK) {
		{
			let kk = t / QA;
			let k = k0 + kk;
			let d_d1 = i32(k % 63u);
			let d_q1 = k / 63u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 315 + d_d1;
			let ok = ra_ok & vec4<bool>(k < kend);
			let i = select(vec4<i32>(0), ra_off + d_off, ok);
			sa[kk * QA + qa] = select(vec4<f32>(0.0), vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]), ok);
		}
		{
			let kk = t / QA + 16u;
			let k = k0 + kk;
			let d_d1 = i32(k % 63u);
			let d_q1 = k / 63u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 315 + d_d1;
			let ok = ra_ok & vec4<bool>(k < kend);
			let i = select(vec4<i32>(0), ra_off + d_off, ok);
			sa[kk * QA + qa] = select(vec4<f32>(0.0), vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]), ok);
		}
		{
			let kk = t / QB;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 1u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 2u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 3u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 4u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 5u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 6u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 7u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 8u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 9u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 10u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 11u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 12u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 13u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 14u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 15u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 16u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 17u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 18u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 19u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 20u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 21u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 22u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 23u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 24u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 25u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 26u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 27u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 28u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 29u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 30u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 31u;
			let k = k0 + kk;
			let d_d2 = i32(k % 9u);
			let d_q2 = k / 9u;
			let d_d1 = i32(d_q2 % 7u);
			let d_q1 = d_q2 / 7u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 189 + d_d1 * 9 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = rb_ok & vec4<bool>(k < kend) & (vec4<u32>(h) < vec4<u32>(7u)) & (vec4<u32>(w) < vec4<u32>(9u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		workgroupBarrier();
		for (var kk = 0u; kk < BK; kk++) {
			let a0 = sa[kk * QA + lid.y];
			let b0 = sb[kk * QB + lid.x];
			c0_0 += a0.x * b0;
			c1_0 += a0.y * b0;
			c2_0 += a0.z * b0;
			c3_0 += a0.w * b0;
		}
		workgroupBarrier();
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let nq0_ok = nq0 < vec4<u32>(N);
	let oc0_d0 = vec4<i32>(nq0);
	let oc0_off = oc0_d0;
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 27;
		if (m < M) {
			let o0 = om_off + oc0_off;
			if (nq0_ok.x) { dst[o0.x] = c0_0.x; }
			if (nq0_ok.y) { dst[o0.y] = c0_0.y; }
			if (nq0_ok.z) { dst[o0.z] = c0_0.z; }
			if (nq0_ok.w) { dst[o0.w] = c0_0.w; }
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 27;
		if (m < M) {
			let o0 = om_off + oc0_off;
			if (nq0_ok.x) { dst[o0.x] = c1_0.x; }
			if (nq0_ok.y) { dst[o0.y] = c1_0.y; }
			if (nq0_ok.z) { dst[o0.z] = c1_0.z; }
			if (nq0_ok.w) { dst[o0.w] = c1_0.w; }
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 27;
		if (m < M) {
			let o0 = om_off + oc0_off;
			if (nq0_ok.x) { dst[o0.x] = c2_0.x; }
			if (nq0_ok.y) { dst[o0.y] = c2_0.y; }
			if (nq0_ok.z) { dst[o0.z] = c2_0.z; }
			if (nq0_ok.w) { dst[o0.w] = c2_0.w; }
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 27;
		if (m < M) {
			let o0 = om_off + oc0_off;
			if (nq0_ok.x) { dst[o0.x] = c3_0.x; }
			if (nq0_ok.y) { dst[o0.y] = c3_0.y; }
			if (nq0_ok.z) { dst[o0.z] = c3_0.z; }
			if (nq0_ok.w) { dst[o0.w] = c3_0.w; }
		}
	}
}
