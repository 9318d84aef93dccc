// convtranspose_2x64x8x8_64x64x1x1_s2_p0.0.0.0_16x16_phase0.1_tile64x4x16_4x4
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of 1×16 invocations
// computes a 64×4 tile, each invocation a 4×4 block
// (vec4 along n). The depth advances 16 at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 64u;
const N = 128u;
const K = 0u;
const BK = 16u;
const QA = 16u; // A quads per depth row of a tile (BM/4)
const QB = 1u; // B quads per depth row of a tile (BN/4)
const TX = 1u;
const TY = 16u;
const TILES_N = 32u;
const GRID_X = 32u;
const SPLIT_K = 16u; // depth per split, a multiple of BK

var<workgroup> sa: array<vec4<f32>, 256>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, 16>; // [BK][QB]

@compute @workgroup_size(1, 16, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let tile = wid.y * GRID_X + wid.x;
	let m0 = (tile / TILES_N) * 64u;
	let n0 = (tile % TILES_N) * 4u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows this invocation loads, fixed for all depths.
	let qa = t % QA;
	let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
	let ra_d0 = vec4<i32>(ra);
	let ra_off = ra_d0;
	let qb = t % QB;
	let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
	let rb_d2 = vec4<i32>(rb % 8u);
	let rb_q2 = rb / 8u;
	let rb_d1 = vec4<i32>(rb_q2 % 8u);
	let rb_q1 = rb_q2 / 8u;
	let rb_d0 = vec4<i32>(rb_q1);
	let rb_off = rb_d0 * 4096 + rb_d1 * 8 + rb_d2 + vec4<i32>(1);
	let rb_h = rb_d1;
	let rb_w = rb_d2 + vec4<i32>(1);

	var c0_0 = vec4<f32>(0.0);
	var c1_0 = vec4<f32>(0.0);
	var c2_0 = vec4<f32>(0.0);
	var c3_0 = vec4<f32>(0.0);

	for (var k0 = kbeg; k0 < kend; k0 += BK) {
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
	let oc0_d2 = vec4<i32>(nq0 % 8u);
	let oc0_q2 = nq0 / 8u;
	let oc0_d1 = vec4<i32>(oc0_q2 % 8u);
	let oc0_q1 = oc0_q2 / 8u;
	let oc0_d0 = vec4<i32>(oc0_q1);
	let oc0_off = oc0_d0 * 16384 + oc0_d1 * 32 + oc0_d2 * 2 + vec4<i32>(1);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c0_0.x;
		dst[o0.y] = c0_0.y;
		dst[o0.z] = c0_0.z;
		dst[o0.w] = c0_0.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c1_0.x;
		dst[o0.y] = c1_0.y;
		dst[o0.z] = c1_0.z;
		dst[o0.w] = c1_0.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c2_0.x;
		dst[o0.y] = c2_0.y;
		dst[o0.z] = c2_0.z;
		dst[o0.w] = c2_0.w;
	}
	{
		let m = m0 + 4u * (lid.y) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c3_0.x;
		dst[o0.y] = c3_0.y;
		dst[o0.z] = c3_0.z;
		dst[o0.w] = c3_0.w;
	}
}
