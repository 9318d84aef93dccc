// convtranspose_2x32x8x8_32x16x5x5_s2_p1.1.2.2_16x16_then_leakymask.mul_7c4e3f88_phases4_tile16x128x16_8x8_split2
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of 16×2 invocations
// computes a 16×128 tile, each invocation a 8×8 block
// (vec4 along n). The depth advances 16 at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).
// The kernel computes 4 GEMMs of the same M (the phases of one op),
// each in a range of the workgroups: a choice uniform in the workgroup,
// with N, K and the index maps of its own (constants suffixed _i); the
// accumulators and the store after the branches are shared.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 16u;
const BK = 16u;
const QA = 4u; // A quads per depth row of a tile (BM/4)
const QB = 32u; // B quads per depth row of a tile (BN/4)
const TX = 16u;
const TY = 2u;
const GRID_X = 4u;
const N_0 = 128u;
const K_0 = 128u;
const TILES_N_0 = 1u;
const SPLIT_K_0 = 64u; // depth per split, a multiple of BK
const N_1 = 128u;
const K_1 = 192u;
const TILES_N_1 = 1u;
const SPLIT_K_1 = 96u; // depth per split, a multiple of BK
const N_2 = 128u;
const K_2 = 192u;
const TILES_N_2 = 1u;
const SPLIT_K_2 = 96u; // depth per split, a multiple of BK
const N_3 = 128u;
const K_3 = 288u;
const TILES_N_3 = 1u;
const SPLIT_K_3 = 144u; // depth per split, a multiple of BK

var<workgroup> sa: array<vec4<f32>, 64>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, 512>; // [BK][QB]

@compute @workgroup_size(16, 2, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = wid.y * GRID_X + wid.x;
	var m0 = 0u;
	var n0 = 0u;
	var n_end = 0u; // the part's N
	var oc0_off = vec4<i32>(0);
	var oc1_off = vec4<i32>(0);
	var c0_0 = vec4<f32>(0.0);
	var c0_1 = vec4<f32>(0.0);
	var c1_0 = vec4<f32>(0.0);
	var c1_1 = vec4<f32>(0.0);
	var c2_0 = vec4<f32>(0.0);
	var c2_1 = vec4<f32>(0.0);
	var c3_0 = vec4<f32>(0.0);
	var c3_1 = vec4<f32>(0.0);
	var c4_0 = vec4<f32>(0.0);
	var c4_1 = vec4<f32>(0.0);
	var c5_0 = vec4<f32>(0.0);
	var c5_1 = vec4<f32>(0.0);
	var c6_0 = vec4<f32>(0.0);
	var c6_1 = vec4<f32>(0.0);
	var c7_0 = vec4<f32>(0.0);
	var c7_1 = vec4<f32>(0.0);
	if (wg < 1u) {
		// phase0.0: M = 16, N = 128, K = 128
		let tile = wg;
		m0 = (tile / TILES_N_0) * 16u;
		n0 = (tile % TILES_N_0) * 128u;
		let kbeg = wid.z * SPLIT_K_0;
		let kend = min(kbeg + SPLIT_K_0, K_0);

		// The quads of A and B rows this invocation loads, fixed for all depths.
		let qa = t % QA;
		let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
		let ra_d0 = vec4<i32>(ra);
		let ra_off = ra_d0 * 25;
		let qb = t % QB;
		let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
		let rb_d2 = vec4<i32>(rb % 8u);
		let rb_q2 = rb / 8u;
		let rb_d1 = vec4<i32>(rb_q2 % 8u);
		let rb_q1 = rb_q2 / 8u;
		let rb_d0 = vec4<i32>(rb_q1);
		let rb_off = rb_d0 * 2048 + rb_d1 * 8 + rb_d2 + vec4<i32>(-9);
		let rb_h = rb_d1 + vec4<i32>(-1);
		let rb_w = rb_d2 + vec4<i32>(-1);

		for (var k0 = kbeg; k0 < kend; k0 += BK) {
			{
				let kk = t / QA;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(18);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QA + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(18);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QB;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 1u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 2u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 3u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 4u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 5u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 6u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 7u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 9u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 10u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 11u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 12u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 13u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 14u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 15u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			workgroupBarrier();
			for (var kk = 0u; kk < BK; kk++) {
				let a0 = sa[kk * QA + lid.y];
				let a1 = sa[kk * QA + lid.y + 1u * TY];
				let b0 = sb[kk * QB + lid.x];
				let b1 = sb[kk * QB + lid.x + 1u * TX];
				c0_0 += a0.x * b0;
				c0_1 += a0.x * b1;
				c1_0 += a0.y * b0;
				c1_1 += a0.y * b1;
				c2_0 += a0.z * b0;
				c2_1 += a0.z * b1;
				c3_0 += a0.w * b0;
				c3_1 += a0.w * b1;
				c4_0 += a1.x * b0;
				c4_1 += a1.x * b1;
				c5_0 += a1.y * b0;
				c5_1 += a1.y * b1;
				c6_0 += a1.z * b0;
				c6_1 += a1.z * b1;
				c7_0 += a1.w * b0;
				c7_1 += a1.w * b1;
			}
			workgroupBarrier();
		}
		n_end = N_0;
		let pq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 4096 + pc0_d1 * 32 + pc0_d2 * 2;
		oc0_off = pc0_off;
		let pq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 4096 + pc1_d1 * 32 + pc1_d2 * 2;
		oc1_off = pc1_off;
	} else if (wg < 2u) {
		// phase0.1: M = 16, N = 128, K = 192
		let tile = wg - 1u;
		m0 = (tile / TILES_N_1) * 16u;
		n0 = (tile % TILES_N_1) * 128u;
		let kbeg = wid.z * SPLIT_K_1;
		let kend = min(kbeg + SPLIT_K_1, K_1);

		// The quads of A and B rows this invocation loads, fixed for all depths.
		let qa = t % QA;
		let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
		let ra_d0 = vec4<i32>(ra);
		let ra_off = ra_d0 * 25;
		let qb = t % QB;
		let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
		let rb_d2 = vec4<i32>(rb % 8u);
		let rb_q2 = rb / 8u;
		let rb_d1 = vec4<i32>(rb_q2 % 8u);
		let rb_q1 = rb_q2 / 8u;
		let rb_d0 = vec4<i32>(rb_q1);
		let rb_off = rb_d0 * 2048 + rb_d1 * 8 + rb_d2 + vec4<i32>(-9);
		let rb_h = rb_d1 + vec4<i32>(-1);
		let rb_w = rb_d2 + vec4<i32>(-1);

		for (var k0 = kbeg; k0 < kend; k0 += BK) {
			{
				let kk = t / QA;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(19);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QA + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(19);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QB;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 1u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 2u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 3u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 4u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 5u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 6u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 7u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 9u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 10u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 11u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 12u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 13u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 14u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 15u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 2u);
				let d_q1 = d_q2 / 2u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			workgroupBarrier();
			for (var kk = 0u; kk < BK; kk++) {
				let a0 = sa[kk * QA + lid.y];
				let a1 = sa[kk * QA + lid.y + 1u * TY];
				let b0 = sb[kk * QB + lid.x];
				let b1 = sb[kk * QB + lid.x + 1u * TX];
				c0_0 += a0.x * b0;
				c0_1 += a0.x * b1;
				c1_0 += a0.y * b0;
				c1_1 += a0.y * b1;
				c2_0 += a0.z * b0;
				c2_1 += a0.z * b1;
				c3_0 += a0.w * b0;
				c3_1 += a0.w * b1;
				c4_0 += a1.x * b0;
				c4_1 += a1.x * b1;
				c5_0 += a1.y * b0;
				c5_1 += a1.y * b1;
				c6_0 += a1.z * b0;
				c6_1 += a1.z * b1;
				c7_0 += a1.w * b0;
				c7_1 += a1.w * b1;
			}
			workgroupBarrier();
		}
		n_end = N_1;
		let pq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 4096 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(1);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 4096 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(1);
		oc1_off = pc1_off;
	} else if (wg < 3u) {
		// phase1.0: M = 16, N = 128, K = 192
		let tile = wg - 2u;
		m0 = (tile / TILES_N_2) * 16u;
		n0 = (tile % TILES_N_2) * 128u;
		let kbeg = wid.z * SPLIT_K_2;
		let kend = min(kbeg + SPLIT_K_2, K_2);

		// The quads of A and B rows this invocation loads, fixed for all depths.
		let qa = t % QA;
		let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
		let ra_d0 = vec4<i32>(ra);
		let ra_off = ra_d0 * 25;
		let qb = t % QB;
		let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
		let rb_d2 = vec4<i32>(rb % 8u);
		let rb_q2 = rb / 8u;
		let rb_d1 = vec4<i32>(rb_q2 % 8u);
		let rb_q1 = rb_q2 / 8u;
		let rb_d0 = vec4<i32>(rb_q1);
		let rb_off = rb_d0 * 2048 + rb_d1 * 8 + rb_d2 + vec4<i32>(-9);
		let rb_h = rb_d1 + vec4<i32>(-1);
		let rb_w = rb_d2 + vec4<i32>(-1);

		for (var k0 = kbeg; k0 < kend; k0 += BK) {
			{
				let kk = t / QA;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(23);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QA + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(23);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QB;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 1u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 2u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 3u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 4u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 5u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 6u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 7u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 9u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 10u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 11u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 12u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 13u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 14u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 15u;
				let k = k0 + kk;
				let d_d2 = i32(k % 2u);
				let d_q2 = k / 2u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			workgroupBarrier();
			for (var kk = 0u; kk < BK; kk++) {
				let a0 = sa[kk * QA + lid.y];
				let a1 = sa[kk * QA + lid.y + 1u * TY];
				let b0 = sb[kk * QB + lid.x];
				let b1 = sb[kk * QB + lid.x + 1u * TX];
				c0_0 += a0.x * b0;
				c0_1 += a0.x * b1;
				c1_0 += a0.y * b0;
				c1_1 += a0.y * b1;
				c2_0 += a0.z * b0;
				c2_1 += a0.z * b1;
				c3_0 += a0.w * b0;
				c3_1 += a0.w * b1;
				c4_0 += a1.x * b0;
				c4_1 += a1.x * b1;
				c5_0 += a1.y * b0;
				c5_1 += a1.y * b1;
				c6_0 += a1.z * b0;
				c6_1 += a1.z * b1;
				c7_0 += a1.w * b0;
				c7_1 += a1.w * b1;
			}
			workgroupBarrier();
		}
		n_end = N_2;
		let pq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 4096 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(16);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 4096 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(16);
		oc1_off = pc1_off;
	} else {
		// phase1.1: M = 16, N = 128, K = 288
		let tile = wg - 3u;
		m0 = (tile / TILES_N_3) * 16u;
		n0 = (tile % TILES_N_3) * 128u;
		let kbeg = wid.z * SPLIT_K_3;
		let kend = min(kbeg + SPLIT_K_3, K_3);

		// The quads of A and B rows this invocation loads, fixed for all depths.
		let qa = t % QA;
		let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
		let ra_d0 = vec4<i32>(ra);
		let ra_off = ra_d0 * 25;
		let qb = t % QB;
		let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
		let rb_d2 = vec4<i32>(rb % 8u);
		let rb_q2 = rb / 8u;
		let rb_d1 = vec4<i32>(rb_q2 % 8u);
		let rb_q1 = rb_q2 / 8u;
		let rb_d0 = vec4<i32>(rb_q1);
		let rb_off = rb_d0 * 2048 + rb_d1 * 8 + rb_d2 + vec4<i32>(-9);
		let rb_h = rb_d1 + vec4<i32>(-1);
		let rb_w = rb_d2 + vec4<i32>(-1);

		for (var k0 = kbeg; k0 < kend; k0 += BK) {
			{
				let kk = t / QA;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(24);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QA + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 400 + d_d1 * -10 + d_d2 * -2 + i32(24);
				let i = ra_off + d_off;
				sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
			}
			{
				let kk = t / QB;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 1u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 2u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 3u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 4u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 5u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 6u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 7u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 8u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 9u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 10u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 11u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 12u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 13u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 14u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			{
				let kk = t / QB + 15u;
				let k = k0 + kk;
				let d_d2 = i32(k % 3u);
				let d_q2 = k / 3u;
				let d_d1 = i32(d_q2 % 3u);
				let d_q1 = d_q2 / 3u;
				let d_d0 = i32(d_q1);
				let d_off = d_d0 * 64 + d_d1 * 8 + d_d2;
				let d_h = d_d1;
				let d_w = d_d2;
				let h = rb_h + d_h;
				let w = rb_w + d_w;
				let ok = (vec4<u32>(h) < vec4<u32>(8u)) & (vec4<u32>(w) < vec4<u32>(8u));
				let i = select(vec4<i32>(0), rb_off + d_off, ok);
				sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
			}
			workgroupBarrier();
			for (var kk = 0u; kk < BK; kk++) {
				let a0 = sa[kk * QA + lid.y];
				let a1 = sa[kk * QA + lid.y + 1u * TY];
				let b0 = sb[kk * QB + lid.x];
				let b1 = sb[kk * QB + lid.x + 1u * TX];
				c0_0 += a0.x * b0;
				c0_1 += a0.x * b1;
				c1_0 += a0.y * b0;
				c1_1 += a0.y * b1;
				c2_0 += a0.z * b0;
				c2_1 += a0.z * b1;
				c3_0 += a0.w * b0;
				c3_1 += a0.w * b1;
				c4_0 += a1.x * b0;
				c4_1 += a1.x * b1;
				c5_0 += a1.y * b0;
				c5_1 += a1.y * b1;
				c6_0 += a1.z * b0;
				c6_1 += a1.z * b1;
				c7_0 += a1.w * b0;
				c7_1 += a1.w * b1;
			}
			workgroupBarrier();
		}
		n_end = N_3;
		let pq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 4096 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(17);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 4096 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(17);
		oc1_off = pc1_off;
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let nq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
	let split = i32(wid.z * 8192u);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c0_0.x;
		dst[o0.y] = c0_0.y;
		dst[o0.z] = c0_0.z;
		dst[o0.w] = c0_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c0_1.x;
		dst[o1.y] = c0_1.y;
		dst[o1.z] = c0_1.z;
		dst[o1.w] = c0_1.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c1_0.x;
		dst[o0.y] = c1_0.y;
		dst[o0.z] = c1_0.z;
		dst[o0.w] = c1_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c1_1.x;
		dst[o1.y] = c1_1.y;
		dst[o1.z] = c1_1.z;
		dst[o1.w] = c1_1.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c2_0.x;
		dst[o0.y] = c2_0.y;
		dst[o0.z] = c2_0.z;
		dst[o0.w] = c2_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c2_1.x;
		dst[o1.y] = c2_1.y;
		dst[o1.z] = c2_1.z;
		dst[o1.w] = c2_1.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c3_0.x;
		dst[o0.y] = c3_0.y;
		dst[o0.z] = c3_0.z;
		dst[o0.w] = c3_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c3_1.x;
		dst[o1.y] = c3_1.y;
		dst[o1.z] = c3_1.z;
		dst[o1.w] = c3_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c4_0.x;
		dst[o0.y] = c4_0.y;
		dst[o0.z] = c4_0.z;
		dst[o0.w] = c4_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c4_1.x;
		dst[o1.y] = c4_1.y;
		dst[o1.z] = c4_1.z;
		dst[o1.w] = c4_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c5_0.x;
		dst[o0.y] = c5_0.y;
		dst[o0.z] = c5_0.z;
		dst[o0.w] = c5_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c5_1.x;
		dst[o1.y] = c5_1.y;
		dst[o1.z] = c5_1.z;
		dst[o1.w] = c5_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c6_0.x;
		dst[o0.y] = c6_0.y;
		dst[o0.z] = c6_0.z;
		dst[o0.w] = c6_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c6_1.x;
		dst[o1.y] = c6_1.y;
		dst[o1.z] = c6_1.z;
		dst[o1.w] = c6_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + split + oc0_off;
		dst[o0.x] = c7_0.x;
		dst[o0.y] = c7_0.y;
		dst[o0.z] = c7_0.z;
		dst[o0.w] = c7_0.w;
		let o1 = om_off + split + oc1_off;
		dst[o1.x] = c7_1.x;
		dst[o1.y] = c7_1.y;
		dst[o1.z] = c7_1.z;
		dst[o1.w] = c7_1.w;
	}
}
