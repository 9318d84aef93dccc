// convfilter_1x3x7x9_1x5x7x9_s1_p1.1.1.1_3x3_direct4x4_split2
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a 4×4
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.

// A is read one float at a time, B one float at a time; an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 5u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = 1u;
const BLOCKS = 14u; // the invocations with a block
const N = 27u;
const K = 63u;
const TILES_N = 7u;
const SPLIT_K = 32u; // depth per split, a multiple of BK

@compute @workgroup_size(16, 1, 1)
fn main(@builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = (wid.y * GRID_X + wid.x) * 16u + li; // the block
	if (wg >= BLOCKS) {
		return;
	}
	let lid = vec2<u32>(0u, 0u);
	let tile = wg;
	let m0 = (tile / TILES_N) * 4u;
	let n0 = (tile % TILES_N) * 4u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows of the block, fixed for all depths.
	let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let ra0_ok = ra0 < vec4<u32>(M);
	let ra0_d0 = vec4<i32>(ra0);
	let ra0_off = ra0_d0 * 63;
	let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb0_ok = rb0 < vec4<u32>(N);
	let rb0_d2 = vec4<i32>(rb0 % 3u);
	let rb0_q2 = rb0 / 3u;
	let rb0_d1 = vec4<i32>(rb0_q2 % 3u);
	let rb0_q1 = rb0_q2 / 3u;
	let rb0_d0 = vec4<i32>(rb0_q1);
	let rb0_off = rb0_d0 * 63 + rb0_d1 * 9 + rb0_d2 + vec4<i32>(-10);
	let rb0_h = rb0_d1 + vec4<i32>(-1);
	let rb0_w = rb0_d2 + vec4<i32>(-1);

	var c0_0 = vec4<f32>(0.0);
	var c1_0 = vec4<f32>(0.0);
	var c2_0 = vec4<f32>(0.0);
	var c3_0 = vec4<f32>(0.0);

	for (var k = kbeg; k < kend; k += 1u) {
		let da0_d1 = i32(k % 63u);
		let da0_q1 = k / 63u;
		let da0_d0 = i32(da0_q1);
		let da0_off = da0_d0 * 315 + da0_d1;
		let a0_0_ok = ra0_ok;
		let a0_0_i = select(vec4<i32>(0), ra0_off + da0_off, a0_0_ok);
		let a0_0 = select(vec4<f32>(0.0), vec4<f32>(a[a0_0_i.x], a[a0_0_i.y], a[a0_0_i.z], a[a0_0_i.w]), a0_0_ok);
		let db0_d2 = i32(k % 9u);
		let db0_q2 = k / 9u;
		let db0_d1 = i32(db0_q2 % 7u);
		let db0_q1 = db0_q2 / 7u;
		let db0_d0 = i32(db0_q1);
		let db0_off = db0_d0 * 189 + db0_d1 * 9 + db0_d2;
		let db0_h = db0_d1;
		let db0_w = db0_d2;
		let b0_0_h = rb0_h + db0_h;
		let b0_0_w = rb0_w + db0_w;
		let b0_0_ok = rb0_ok & (vec4<u32>(b0_0_h) < vec4<u32>(7u)) & (vec4<u32>(b0_0_w) < vec4<u32>(9u));
		let b0_0_i = select(vec4<i32>(0), rb0_off + db0_off, b0_0_ok);
		let b0_0 = select(vec4<f32>(0.0), vec4<f32>(b[b0_0_i.x], b[b0_0_i.y], b[b0_0_i.z], b[b0_0_i.w]), b0_0_ok);
		c0_0 += a0_0.x * b0_0;
		c1_0 += a0_0.y * b0_0;
		c2_0 += a0_0.z * b0_0;
		c3_0 += a0_0.w * b0_0;
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let nq0_ok = nq0 < vec4<u32>(N);
	let oc0_d0 = vec4<i32>(nq0);
	let oc0_off = oc0_d0;
	let split = i32(wid.z * 135u);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 27;
		if (m < M) {
			let o0 = om_off + split + oc0_off;
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
			let o0 = om_off + split + oc0_off;
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
			let o0 = om_off + split + oc0_off;
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
			let o0 = om_off + split + oc0_off;
			if (nq0_ok.x) { dst[o0.x] = c3_0.x; }
			if (nq0_ok.y) { dst[o0.y] = c3_0.y; }
			if (nq0_ok.z) { dst[o0.z] = c3_0.z; }
			if (nq0_ok.w) { dst[o0.w] = c3_0.w; }
		}
	}
}
