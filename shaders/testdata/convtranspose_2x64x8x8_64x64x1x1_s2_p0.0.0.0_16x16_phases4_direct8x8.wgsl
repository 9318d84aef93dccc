// convtranspose_2x64x8x8_64x64x1x1_s2_p0.0.0.0_16x16_phases4_direct8x8
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a 8×8
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.
// The kernel computes 4 GEMMs of the same M (the phases of one op),
// each in a range of the invocations, with N, K and the index maps of its
// own (constants suffixed _i); the accumulators and the store after the
// branches are shared.

// A is read one float at a time, B one float at a time; an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 64u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = 32u;
const BLOCKS = 512u; // the invocations with a block
const N_0 = 128u;
const K_0 = 64u;
const TILES_N_0 = 16u;
const SPLIT_K_0 = 64u; // depth per split, a multiple of BK
const N_1 = 128u;
const K_1 = 0u;
const TILES_N_1 = 16u;
const SPLIT_K_1 = 1u; // depth per split, a multiple of BK
const N_2 = 128u;
const K_2 = 0u;
const TILES_N_2 = 16u;
const SPLIT_K_2 = 1u; // depth per split, a multiple of BK
const N_3 = 128u;
const K_3 = 0u;
const TILES_N_3 = 16u;
const SPLIT_K_3 = 1u; // depth per split, a multiple of BK

@compute @workgroup_size(16, 1, 1)
fn main(@builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = (wid.y * GRID_X + wid.x) * 16u + li; // the block
	if (wg >= BLOCKS) {
		return;
	}
	let lid = vec2<u32>(0u, 0u);
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
	if (wg < 128u) {
		// phase0.0: M = 64, N = 128, K = 64
		let tile = wg;
		m0 = (tile / TILES_N_0) * 8u;
		n0 = (tile % TILES_N_0) * 8u;
		let kbeg = wid.z * SPLIT_K_0;
		let kend = min(kbeg + SPLIT_K_0, K_0);

		// The quads of A and B rows of the block, fixed for all depths.
		let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra0_d0 = vec4<i32>(ra0);
		let ra0_off = ra0_d0;
		let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra1_d0 = vec4<i32>(ra1);
		let ra1_off = ra1_d0;
		let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb0_d2 = vec4<i32>(rb0 % 8u);
		let rb0_q2 = rb0 / 8u;
		let rb0_d1 = vec4<i32>(rb0_q2 % 8u);
		let rb0_q1 = rb0_q2 / 8u;
		let rb0_d0 = vec4<i32>(rb0_q1);
		let rb0_off = rb0_d0 * 4096 + rb0_d1 * 8 + rb0_d2;
		let rb0_h = rb0_d1;
		let rb0_w = rb0_d2;
		let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb1_d2 = vec4<i32>(rb1 % 8u);
		let rb1_q2 = rb1 / 8u;
		let rb1_d1 = vec4<i32>(rb1_q2 % 8u);
		let rb1_q1 = rb1_q2 / 8u;
		let rb1_d0 = vec4<i32>(rb1_q1);
		let rb1_off = rb1_d0 * 4096 + rb1_d1 * 8 + rb1_d2;
		let rb1_h = rb1_d1;
		let rb1_w = rb1_d2;

		for (var k = kbeg; k < kend; k += 1u) {
			let da0_d2 = i32(k % 1u);
			let da0_q2 = k / 1u;
			let da0_d1 = i32(da0_q2 % 1u);
			let da0_q1 = da0_q2 / 1u;
			let da0_d0 = i32(da0_q1);
			let da0_off = da0_d0 * 64 + da0_d1 * -2 + da0_d2 * -2;
			let a0_0_i = ra0_off + da0_off;
			let a0_0 = vec4<f32>(a[a0_0_i.x], a[a0_0_i.y], a[a0_0_i.z], a[a0_0_i.w]);
			let a1_0_i = ra1_off + da0_off;
			let a1_0 = vec4<f32>(a[a1_0_i.x], a[a1_0_i.y], a[a1_0_i.z], a[a1_0_i.w]);
			let db0_d2 = i32(k % 1u);
			let db0_q2 = k / 1u;
			let db0_d1 = i32(db0_q2 % 1u);
			let db0_q1 = db0_q2 / 1u;
			let db0_d0 = i32(db0_q1);
			let db0_off = db0_d0 * 64 + db0_d1 * 8 + db0_d2;
			let db0_h = db0_d1;
			let db0_w = db0_d2;
			let b0_0_h = rb0_h + db0_h;
			let b0_0_w = rb0_w + db0_w;
			let b0_0_ok = (vec4<u32>(b0_0_h) < vec4<u32>(8u)) & (vec4<u32>(b0_0_w) < vec4<u32>(8u));
			let b0_0_i = select(vec4<i32>(0), rb0_off + db0_off, b0_0_ok);
			let b0_0 = select(vec4<f32>(0.0), vec4<f32>(b[b0_0_i.x], b[b0_0_i.y], b[b0_0_i.z], b[b0_0_i.w]), b0_0_ok);
			let b1_0_h = rb1_h + db0_h;
			let b1_0_w = rb1_w + db0_w;
			let b1_0_ok = (vec4<u32>(b1_0_h) < vec4<u32>(8u)) & (vec4<u32>(b1_0_w) < vec4<u32>(8u));
			let b1_0_i = select(vec4<i32>(0), rb1_off + db0_off, b1_0_ok);
			let b1_0 = select(vec4<f32>(0.0), vec4<f32>(b[b1_0_i.x], b[b1_0_i.y], b[b1_0_i.z], b[b1_0_i.w]), b1_0_ok);
			c0_0 += a0_0.x * b0_0;
			c0_1 += a0_0.x * b1_0;
			c1_0 += a0_0.y * b0_0;
			c1_1 += a0_0.y * b1_0;
			c2_0 += a0_0.z * b0_0;
			c2_1 += a0_0.z * b1_0;
			c3_0 += a0_0.w * b0_0;
			c3_1 += a0_0.w * b1_0;
			c4_0 += a1_0.x * b0_0;
			c4_1 += a1_0.x * b1_0;
			c5_0 += a1_0.y * b0_0;
			c5_1 += a1_0.y * b1_0;
			c6_0 += a1_0.z * b0_0;
			c6_1 += a1_0.z * b1_0;
			c7_0 += a1_0.w * b0_0;
			c7_1 += a1_0.w * b1_0;
		}
		n_end = N_0;
		let pq0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 16384 + pc0_d1 * 32 + pc0_d2 * 2;
		oc0_off = pc0_off;
		let pq1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 16384 + pc1_d1 * 32 + pc1_d2 * 2;
		oc1_off = pc1_off;
	} else if (wg < 256u) {
		// phase0.1: M = 64, N = 128, K = 0
		let tile = wg - 128u;
		m0 = (tile / TILES_N_1) * 8u;
		n0 = (tile % TILES_N_1) * 8u;
		let kbeg = wid.z * SPLIT_K_1;
		let kend = min(kbeg + SPLIT_K_1, K_1);

		// The quads of A and B rows of the block, fixed for all depths.
		let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra0_d0 = vec4<i32>(ra0);
		let ra0_off = ra0_d0;
		let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra1_d0 = vec4<i32>(ra1);
		let ra1_off = ra1_d0;
		let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb0_d2 = vec4<i32>(rb0 % 8u);
		let rb0_q2 = rb0 / 8u;
		let rb0_d1 = vec4<i32>(rb0_q2 % 8u);
		let rb0_q1 = rb0_q2 / 8u;
		let rb0_d0 = vec4<i32>(rb0_q1);
		let rb0_off = rb0_d0 * 4096 + rb0_d1 * 8 + rb0_d2 + vec4<i32>(1);
		let rb0_h = rb0_d1;
		let rb0_w = rb0_d2 + vec4<i32>(1);
		let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb1_d2 = vec4<i32>(rb1 % 8u);
		let rb1_q2 = rb1 / 8u;
		let rb1_d1 = vec4<i32>(rb1_q2 % 8u);
		let rb1_q1 = rb1_q2 / 8u;
		let rb1_d0 = vec4<i32>(rb1_q1);
		let rb1_off = rb1_d0 * 4096 + rb1_d1 * 8 + rb1_d2 + vec4<i32>(1);
		let rb1_h = rb1_d1;
		let rb1_w = rb1_d2 + vec4<i32>(1);

		for (var k = kbeg; k < kend; k += 1u) {
		}
		n_end = N_1;
		let pq0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 16384 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(1);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 16384 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(1);
		oc1_off = pc1_off;
	} else if (wg < 384u) {
		// phase1.0: M = 64, N = 128, K = 0
		let tile = wg - 256u;
		m0 = (tile / TILES_N_2) * 8u;
		n0 = (tile % TILES_N_2) * 8u;
		let kbeg = wid.z * SPLIT_K_2;
		let kend = min(kbeg + SPLIT_K_2, K_2);

		// The quads of A and B rows of the block, fixed for all depths.
		let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra0_d0 = vec4<i32>(ra0);
		let ra0_off = ra0_d0;
		let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra1_d0 = vec4<i32>(ra1);
		let ra1_off = ra1_d0;
		let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb0_d2 = vec4<i32>(rb0 % 8u);
		let rb0_q2 = rb0 / 8u;
		let rb0_d1 = vec4<i32>(rb0_q2 % 8u);
		let rb0_q1 = rb0_q2 / 8u;
		let rb0_d0 = vec4<i32>(rb0_q1);
		let rb0_off = rb0_d0 * 4096 + rb0_d1 * 8 + rb0_d2 + vec4<i32>(8);
		let rb0_h = rb0_d1 + vec4<i32>(1);
		let rb0_w = rb0_d2;
		let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb1_d2 = vec4<i32>(rb1 % 8u);
		let rb1_q2 = rb1 / 8u;
		let rb1_d1 = vec4<i32>(rb1_q2 % 8u);
		let rb1_q1 = rb1_q2 / 8u;
		let rb1_d0 = vec4<i32>(rb1_q1);
		let rb1_off = rb1_d0 * 4096 + rb1_d1 * 8 + rb1_d2 + vec4<i32>(8);
		let rb1_h = rb1_d1 + vec4<i32>(1);
		let rb1_w = rb1_d2;

		for (var k = kbeg; k < kend; k += 1u) {
		}
		n_end = N_2;
		let pq0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 16384 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(16);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 16384 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(16);
		oc1_off = pc1_off;
	} else {
		// phase1.1: M = 64, N = 128, K = 0
		let tile = wg - 384u;
		m0 = (tile / TILES_N_3) * 8u;
		n0 = (tile % TILES_N_3) * 8u;
		let kbeg = wid.z * SPLIT_K_3;
		let kend = min(kbeg + SPLIT_K_3, K_3);

		// The quads of A and B rows of the block, fixed for all depths.
		let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra0_d0 = vec4<i32>(ra0);
		let ra0_off = ra0_d0;
		let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let ra1_d0 = vec4<i32>(ra1);
		let ra1_off = ra1_d0;
		let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb0_d2 = vec4<i32>(rb0 % 8u);
		let rb0_q2 = rb0 / 8u;
		let rb0_d1 = vec4<i32>(rb0_q2 % 8u);
		let rb0_q1 = rb0_q2 / 8u;
		let rb0_d0 = vec4<i32>(rb0_q1);
		let rb0_off = rb0_d0 * 4096 + rb0_d1 * 8 + rb0_d2 + vec4<i32>(9);
		let rb0_h = rb0_d1 + vec4<i32>(1);
		let rb0_w = rb0_d2 + vec4<i32>(1);
		let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let rb1_d2 = vec4<i32>(rb1 % 8u);
		let rb1_q2 = rb1 / 8u;
		let rb1_d1 = vec4<i32>(rb1_q2 % 8u);
		let rb1_q1 = rb1_q2 / 8u;
		let rb1_d0 = vec4<i32>(rb1_q1);
		let rb1_off = rb1_d0 * 4096 + rb1_d1 * 8 + rb1_d2 + vec4<i32>(9);
		let rb1_h = rb1_d1 + vec4<i32>(1);
		let rb1_w = rb1_d2 + vec4<i32>(1);

		for (var k = kbeg; k < kend; k += 1u) {
		}
		n_end = N_3;
		let pq0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc0_d2 = vec4<i32>(pq0 % 8u);
		let pc0_q2 = pq0 / 8u;
		let pc0_d1 = vec4<i32>(pc0_q2 % 8u);
		let pc0_q1 = pc0_q2 / 8u;
		let pc0_d0 = vec4<i32>(pc0_q1);
		let pc0_off = pc0_d0 * 16384 + pc0_d1 * 32 + pc0_d2 * 2 + vec4<i32>(17);
		oc0_off = pc0_off;
		let pq1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
		let pc1_d2 = vec4<i32>(pq1 % 8u);
		let pc1_q2 = pq1 / 8u;
		let pc1_d1 = vec4<i32>(pc1_q2 % 8u);
		let pc1_q1 = pc1_q2 / 8u;
		let pc1_d0 = vec4<i32>(pc1_q1);
		let pc1_off = pc1_d0 * 16384 + pc1_d1 * 32 + pc1_d2 * 2 + vec4<i32>(17);
		oc1_off = pc1_off;
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let nq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c0_0.x;
		dst[o0.y] = c0_0.y;
		dst[o0.z] = c0_0.z;
		dst[o0.w] = c0_0.w;
		let o1 = om_off + oc1_off;
		dst[o1.x] = c0_1.x;
		dst[o1.y] = c0_1.y;
		dst[o1.z] = c0_1.z;
		dst[o1.w] = c0_1.w;
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
		let o1 = om_off + oc1_off;
		dst[o1.x] = c1_1.x;
		dst[o1.y] = c1_1.y;
		dst[o1.z] = c1_1.z;
		dst[o1.w] = c1_1.w;
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
		let o1 = om_off + oc1_off;
		dst[o1.x] = c2_1.x;
		dst[o1.y] = c2_1.y;
		dst[o1.z] = c2_1.z;
		dst[o1.w] = c2_1.w;
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
		let o1 = om_off + oc1_off;
		dst[o1.x] = c3_1.x;
		dst[o1.y] = c3_1.y;
		dst[o1.z] = c3_1.z;
		dst[o1.w] = c3_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c4_0.x;
		dst[o0.y] = c4_0.y;
		dst[o0.z] = c4_0.z;
		dst[o0.w] = c4_0.w;
		let o1 = om_off + oc1_off;
		dst[o1.x] = c4_1.x;
		dst[o1.y] = c4_1.y;
		dst[o1.z] = c4_1.z;
		dst[o1.w] = c4_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c5_0.x;
		dst[o0.y] = c5_0.y;
		dst[o0.z] = c5_0.z;
		dst[o0.w] = c5_0.w;
		let o1 = om_off + oc1_off;
		dst[o1.x] = c5_1.x;
		dst[o1.y] = c5_1.y;
		dst[o1.z] = c5_1.z;
		dst[o1.w] = c5_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c6_0.x;
		dst[o0.y] = c6_0.y;
		dst[o0.z] = c6_0.z;
		dst[o0.w] = c6_0.w;
		let o1 = om_off + oc1_off;
		dst[o1.x] = c6_1.x;
		dst[o1.y] = c6_1.y;
		dst[o1.z] = c6_1.z;
		dst[o1.w] = c6_1.w;
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = c7_0.x;
		dst[o0.y] = c7_0.y;
		dst[o0.z] = c7_0.z;
		dst[o0.w] = c7_0.w;
		let o1 = om_off + oc1_off;
		dst[o1.x] = c7_1.x;
		dst[o1.y] = c7_1.y;
		dst[o1.z] = c7_1.z;
		dst[o1.w] = c7_1.w;
	}
}
