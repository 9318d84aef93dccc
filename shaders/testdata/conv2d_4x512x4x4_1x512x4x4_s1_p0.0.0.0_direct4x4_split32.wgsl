// conv2d_4x512x4x4_1x512x4x4_s1_p0.0.0.0_direct4x4_split32
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a 4×4
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.

// A is read four depths at a time (vec4), B one float at a time; an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
@group(0) @binding(0) var<uniform> a: array<vec4<f32>, 2048>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 1u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = 1u;
const BLOCKS = 1u; // the invocations with a block
const N = 4u;
const K = 8192u;
const TILES_N = 1u;
const SPLIT_K = 256u; // depth per split, a multiple of BK

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
	let ra0_off = ra0_d0 * 8192;
	let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb0_d2 = vec4<i32>(rb0 % 1u);
	let rb0_q2 = rb0 / 1u;
	let rb0_d1 = vec4<i32>(rb0_q2 % 1u);
	let rb0_q1 = rb0_q2 / 1u;
	let rb0_d0 = vec4<i32>(rb0_q1);
	let rb0_off = rb0_d0 * 8192 + rb0_d1 * 4 + rb0_d2;
	let rb0_h = rb0_d1;
	let rb0_w = rb0_d2;

	var c0_0 = vec4<f32>(0.0);
	var c1_0 = vec4<f32>(0.0);
	var c2_0 = vec4<f32>(0.0);
	var c3_0 = vec4<f32>(0.0);

	for (var k = kbeg; k < kend; k += 4u) {
		let da0_d0 = i32(k);
		let da0_off = da0_d0;
		let a0r0 = select(vec4<f32>(0.0), a[select(0, (ra0_off.x + da0_off) / 4, ra0_ok.x)], ra0_ok.x);
		let a0r1 = select(vec4<f32>(0.0), a[select(0, (ra0_off.y + da0_off) / 4, ra0_ok.y)], ra0_ok.y);
		let a0r2 = select(vec4<f32>(0.0), a[select(0, (ra0_off.z + da0_off) / 4, ra0_ok.z)], ra0_ok.z);
		let a0r3 = select(vec4<f32>(0.0), a[select(0, (ra0_off.w + da0_off) / 4, ra0_ok.w)], ra0_ok.w);
		let a0_0 = vec4<f32>(a0r0.x, a0r1.x, a0r2.x, a0r3.x);
		let a0_1 = vec4<f32>(a0r0.y, a0r1.y, a0r2.y, a0r3.y);
		let a0_2 = vec4<f32>(a0r0.z, a0r1.z, a0r2.z, a0r3.z);
		let a0_3 = vec4<f32>(a0r0.w, a0r1.w, a0r2.w, a0r3.w);
		let db0_d2 = i32(k % 4u);
		let db0_q2 = k / 4u;
		let db0_d1 = i32(db0_q2 % 4u);
		let db0_q1 = db0_q2 / 4u;
		let db0_d0 = i32(db0_q1);
		let db0_off = db0_d0 * 16 + db0_d1 * 4 + db0_d2;
		let db0_h = db0_d1;
		let db0_w = db0_d2;
		let db1_d2 = i32((k + 1u) % 4u);
		let db1_q2 = (k + 1u) / 4u;
		let db1_d1 = i32(db1_q2 % 4u);
		let db1_q1 = db1_q2 / 4u;
		let db1_d0 = i32(db1_q1);
		let db1_off = db1_d0 * 16 + db1_d1 * 4 + db1_d2;
		let db1_h = db1_d1;
		let db1_w = db1_d2;
		let db2_d2 = i32((k + 2u) % 4u);
		let db2_q2 = (k + 2u) / 4u;
		let db2_d1 = i32(db2_q2 % 4u);
		let db2_q1 = db2_q2 / 4u;
		let db2_d0 = i32(db2_q1);
		let db2_off = db2_d0 * 16 + db2_d1 * 4 + db2_d2;
		let db2_h = db2_d1;
		let db2_w = db2_d2;
		let db3_d2 = i32((k + 3u) % 4u);
		let db3_q2 = (k + 3u) / 4u;
		let db3_d1 = i32(db3_q2 % 4u);
		let db3_q1 = db3_q2 / 4u;
		let db3_d0 = i32(db3_q1);
		let db3_off = db3_d0 * 16 + db3_d1 * 4 + db3_d2;
		let db3_h = db3_d1;
		let db3_w = db3_d2;
		let b0_0_h = rb0_h + db0_h;
		let b0_0_w = rb0_w + db0_w;
		let b0_0_ok = (vec4<u32>(b0_0_h) < vec4<u32>(4u)) & (vec4<u32>(b0_0_w) < vec4<u32>(4u));
		let b0_0_i = select(vec4<i32>(0), rb0_off + db0_off, b0_0_ok);
		let b0_0 = select(vec4<f32>(0.0), vec4<f32>(b[b0_0_i.x], b[b0_0_i.y], b[b0_0_i.z], b[b0_0_i.w]), b0_0_ok);
		let b0_1_h = rb0_h + db1_h;
		let b0_1_w = rb0_w + db1_w;
		let b0_1_ok = (vec4<u32>(b0_1_h) < vec4<u32>(4u)) & (vec4<u32>(b0_1_w) < vec4<u32>(4u));
		let b0_1_i = select(vec4<i32>(0), rb0_off + db1_off, b0_1_ok);
		let b0_1 = select(vec4<f32>(0.0), vec4<f32>(b[b0_1_i.x], b[b0_1_i.y], b[b0_1_i.z], b[b0_1_i.w]), b0_1_ok);
		let b0_2_h = rb0_h + db2_h;
		let b0_2_w = rb0_w + db2_w;
		let b0_2_ok = (vec4<u32>(b0_2_h) < vec4<u32>(4u)) & (vec4<u32>(b0_2_w) < vec4<u32>(4u));
		let b0_2_i = select(vec4<i32>(0), rb0_off + db2_off, b0_2_ok);
		let b0_2 = select(vec4<f32>(0.0), vec4<f32>(b[b0_2_i.x], b[b0_2_i.y], b[b0_2_i.z], b[b0_2_i.w]), b0_2_ok);
		let b0_3_h = rb0_h + db3_h;
		let b0_3_w = rb0_w + db3_w;
		let b0_3_ok = (vec4<u32>(b0_3_h) < vec4<u32>(4u)) & (vec4<u32>(b0_3_w) < vec4<u32>(4u));
		let b0_3_i = select(vec4<i32>(0), rb0_off + db3_off, b0_3_ok);
		let b0_3 = select(vec4<f32>(0.0), vec4<f32>(b[b0_3_i.x], b[b0_3_i.y], b[b0_3_i.z], b[b0_3_i.w]), b0_3_ok);
		c0_0 += a0_0.x * b0_0;
		c1_0 += a0_0.y * b0_0;
		c2_0 += a0_0.z * b0_0;
		c3_0 += a0_0.w * b0_0;
		c0_0 += a0_1.x * b0_1;
		c1_0 += a0_1.y * b0_1;
		c2_0 += a0_1.z * b0_1;
		c3_0 += a0_1.w * b0_1;
		c0_0 += a0_2.x * b0_2;
		c1_0 += a0_2.y * b0_2;
		c2_0 += a0_2.z * b0_2;
		c3_0 += a0_2.w * b0_2;
		c0_0 += a0_3.x * b0_3;
		c1_0 += a0_3.y * b0_3;
		c2_0 += a0_3.z * b0_3;
		c3_0 += a0_3.w * b0_3;
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc0_d0 = vec4<i32>(nq0);
	let oc0_off = oc0_d0;
	let split = i32(wid.z * 4u);
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 4;
		if (m < M) {
			let o0 = om_off + split + oc0_off;
			dst[o0.x] = c0_0.x;
			dst[o0.y] = c0_0.y;
			dst[o0.z] = c0_0.z;
			dst[o0.w] = c0_0.w;
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 4;
		if (m < M) {
			let o0 = om_off + split + oc0_off;
			dst[o0.x] = c1_0.x;
			dst[o0.y] = c1_0.y;
			dst[o0.z] = c1_0.z;
			dst[o0.w] = c1_0.w;
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 4;
		if (m < M) {
			let o0 = om_off + split + oc0_off;
			dst[o0.x] = c2_0.x;
			dst[o0.y] = c2_0.y;
			dst[o0.z] = c2_0.z;
			dst[o0.w] = c2_0.w;
		}
	}
	{
		let m = m0 + 4u * (lid.y) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 4;
		if (m < M) {
			let o0 = om_off + split + oc0_off;
			dst[o0.x] = c3_0.x;
			dst[o0.y] = c3_0.y;
			dst[o0.z] = c3_0.z;
			dst[o0.w] = c3_0.w;
		}
	}
}
