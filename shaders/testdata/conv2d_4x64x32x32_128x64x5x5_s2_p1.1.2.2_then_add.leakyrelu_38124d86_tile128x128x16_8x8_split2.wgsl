// conv2d_4x64x32x32_128x64x5x5_s2_p1.1.2.2_then_add.leakyrelu_38124d86_tile128x128x16_8x8_split2
//
// Tiled implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this workgroup's split. A workgroup of 16×16 invocations
// computes a 128×128 tile, each invocation a 8×8 block
// (vec4 along n). The depth advances 16 at a time through workgroup
// memory, which holds A and B as vec4 quads along m and n, gathered from
// the op's buffers (zero outside the matrix or the image).

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 128u;
const BK = 16u;
const QA = 32u; // A quads per depth row of a tile (BM/4)
const QB = 32u; // B quads per depth row of a tile (BN/4)
const TX = 16u;
const TY = 16u;
const GRID_X = 8u;
const N = 1024u;
const K = 1600u;
const TILES_N = 8u;
const SPLIT_K = 800u; // depth per split, a multiple of BK

var<workgroup> sa: array<vec4<f32>, 512>; // [BK][QA]
var<workgroup> sb: array<vec4<f32>, 512>; // [BK][QB]

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(local_invocation_index) t: u32,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = wid.y * GRID_X + wid.x;
	let tile = wg;
	let m0 = (tile / TILES_N) * 128u;
	let n0 = (tile % TILES_N) * 128u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows this invocation loads, fixed for all depths.
	let qa = t % QA;
	let ra = m0 + 4u * qa + vec4<u32>(0u, 1u, 2u, 3u);
	let ra_d0 = vec4<i32>(ra);
	let ra_off = ra_d0 * 1600;
	let qb = t % QB;
	let rb = n0 + 4u * qb + vec4<u32>(0u, 1u, 2u, 3u);
	let rb_d2 = vec4<i32>(rb % 16u);
	let rb_q2 = rb / 16u;
	let rb_d1 = vec4<i32>(rb_q2 % 16u);
	let rb_q1 = rb_q2 / 16u;
	let rb_d0 = vec4<i32>(rb_q1);
	let rb_off = rb_d0 * 65536 + rb_d1 * 64 + rb_d2 * 2 + vec4<i32>(-33);
	let rb_h = rb_d1 * 2 + vec4<i32>(-1);
	let rb_w = rb_d2 * 2 + vec4<i32>(-1);

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

	for (var k0 = kbeg; k0 < kend; k0 += BK) {
		{
			let kk = t / QA;
			let k = k0 + kk;
			let d_d0 = i32(k);
			let d_off = d_d0;
			let i = ra_off + d_off;
			sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
		}
		{
			let kk = t / QA + 8u;
			let k = k0 + kk;
			let d_d0 = i32(k);
			let d_off = d_d0;
			let i = ra_off + d_off;
			sa[kk * QA + qa] = vec4<f32>(a[i.x], a[i.y], a[i.z], a[i.w]);
		}
		{
			let kk = t / QB;
			let k = k0 + kk;
			let d_d2 = i32(k % 5u);
			let d_q2 = k / 5u;
			let d_d1 = i32(d_q2 % 5u);
			let d_q1 = d_q2 / 5u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 1024 + d_d1 * 32 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = (vec4<u32>(h) < vec4<u32>(32u)) & (vec4<u32>(w) < vec4<u32>(32u));
			let i = select(vec4<i32>(0), rb_off + d_off, ok);
			sb[kk * QB + qb] = select(vec4<f32>(0.0), vec4<f32>(b[i.x], b[i.y], b[i.z], b[i.w]), ok);
		}
		{
			let kk = t / QB + 8u;
			let k = k0 + kk;
			let d_d2 = i32(k % 5u);
			let d_q2 = k / 5u;
			let d_d1 = i32(d_q2 % 5u);
			let d_q1 = d_q2 / 5u;
			let d_d0 = i32(d_q1);
			let d_off = d_d0 * 1024 + d_d1 * 32 + d_d2;
			let d_h = d_d1;
			let d_w = d_d2;
			let h = rb_h + d_h;
			let w = rb_w + d_w;
			let ok = (vec4<u32>(h) < vec4<u32>(32u)) & (vec4<u32>(w) < vec4<u32>(32u));
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
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc0_d0 = vec4<i32>(nq0);
	let oc0_off = oc0_d0;
	let nq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc1_d0 = vec4<i32>(nq1);
	let oc1_off = oc1_d0;
	let split = i32(wid.z * 131072u);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
