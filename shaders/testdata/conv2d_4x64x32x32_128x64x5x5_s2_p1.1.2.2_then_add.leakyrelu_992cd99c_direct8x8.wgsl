// conv2d_4x64x32x32_128x64x5x5_s2_p1.1.2.2_then_add.leakyrelu_992cd99c_direct8x8
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a 8×8
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.

// A is read four depths at a time (vec4), B one float at a time; an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<uniform> in2: array<vec4<f32>, 32>;

const M = 128u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = 128u;
const BLOCKS = 2048u; // the invocations with a block
const N = 1024u;
const K = 1600u;
const TILES_N = 128u;
const SPLIT_K = 1600u; // depth per split, a multiple of BK

// post is what the kernel stores for the contraction's value s at flat index j of [4 128 16 16].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[(((j / 256u) % 128u)) / 4u][(((j / 256u) % 128u)) % 4u];
    let v2 = s + v1;
    let v3 = select(0.2 * v2, v2, v2 > 0.0);
    return v3;
}

@compute @workgroup_size(16, 1, 1)
fn main(@builtin(local_invocation_index) li: u32,
        @builtin(workgroup_id) wid: vec3<u32>) {
	let wg = (wid.y * GRID_X + wid.x) * 16u + li; // the block
	if (wg >= BLOCKS) {
		return;
	}
	let lid = vec2<u32>(0u, 0u);
	let tile = wg;
	let m0 = (tile / TILES_N) * 8u;
	let n0 = (tile % TILES_N) * 8u;
	let kbeg = wid.z * SPLIT_K;
	let kend = min(kbeg + SPLIT_K, K);

	// The quads of A and B rows of the block, fixed for all depths.
	let ra0 = m0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let ra0_d0 = vec4<i32>(ra0);
	let ra0_off = ra0_d0 * 1600;
	let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
	let ra1_d0 = vec4<i32>(ra1);
	let ra1_off = ra1_d0 * 1600;
	let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb0_d2 = vec4<i32>(rb0 % 16u);
	let rb0_q2 = rb0 / 16u;
	let rb0_d1 = vec4<i32>(rb0_q2 % 16u);
	let rb0_q1 = rb0_q2 / 16u;
	let rb0_d0 = vec4<i32>(rb0_q1);
	let rb0_off = rb0_d0 * 65536 + rb0_d1 * 64 + rb0_d2 * 2 + vec4<i32>(-33);
	let rb0_h = rb0_d1 * 2 + vec4<i32>(-1);
	let rb0_w = rb0_d2 * 2 + vec4<i32>(-1);
	let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb1_d2 = vec4<i32>(rb1 % 16u);
	let rb1_q2 = rb1 / 16u;
	let rb1_d1 = vec4<i32>(rb1_q2 % 16u);
	let rb1_q1 = rb1_q2 / 16u;
	let rb1_d0 = vec4<i32>(rb1_q1);
	let rb1_off = rb1_d0 * 65536 + rb1_d1 * 64 + rb1_d2 * 2 + vec4<i32>(-33);
	let rb1_h = rb1_d1 * 2 + vec4<i32>(-1);
	let rb1_w = rb1_d2 * 2 + vec4<i32>(-1);

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

	for (var k = kbeg; k < kend; k += 4u) {
		let da0_d0 = i32(k);
		let da0_off = da0_d0;
		let a0r0 = a[(ra0_off.x + da0_off) / 4];
		let a0r1 = a[(ra0_off.y + da0_off) / 4];
		let a0r2 = a[(ra0_off.z + da0_off) / 4];
		let a0r3 = a[(ra0_off.w + da0_off) / 4];
		let a0_0 = vec4<f32>(a0r0.x, a0r1.x, a0r2.x, a0r3.x);
		let a0_1 = vec4<f32>(a0r0.y, a0r1.y, a0r2.y, a0r3.y);
		let a0_2 = vec4<f32>(a0r0.z, a0r1.z, a0r2.z, a0r3.z);
		let a0_3 = vec4<f32>(a0r0.w, a0r1.w, a0r2.w, a0r3.w);
		let a1r0 = a[(ra1_off.x + da0_off) / 4];
		let a1r1 = a[(ra1_off.y + da0_off) / 4];
		let a1r2 = a[(ra1_off.z + da0_off) / 4];
		let a1r3 = a[(ra1_off.w + da0_off) / 4];
		let a1_0 = vec4<f32>(a1r0.x, a1r1.x, a1r2.x, a1r3.x);
		let a1_1 = vec4<f32>(a1r0.y, a1r1.y, a1r2.y, a1r3.y);
		let a1_2 = vec4<f32>(a1r0.z, a1r1.z, a1r2.z, a1r3.z);
		let a1_3 = vec4<f32>(a1r0.w, a1r1.w, a1r2.w, a1r3.w);
		let db0_d2 = i32(k % 5u);
		let db0_q2 = k / 5u;
		let db0_d1 = i32(db0_q2 % 5u);
		let db0_q1 = db0_q2 / 5u;
		let db0_d0 = i32(db0_q1);
		let db0_off = db0_d0 * 1024 + db0_d1 * 32 + db0_d2;
		let db0_h = db0_d1;
		let db0_w = db0_d2;
		let db1_d2 = i32((k + 1u) % 5u);
		let db1_q2 = (k + 1u) / 5u;
		let db1_d1 = i32(db1_q2 % 5u);
		let db1_q1 = db1_q2 / 5u;
		let db1_d0 = i32(db1_q1);
		let db1_off = db1_d0 * 1024 + db1_d1 * 32 + db1_d2;
		let db1_h = db1_d1;
		let db1_w = db1_d2;
		let db2_d2 = i32((k + 2u) % 5u);
		let db2_q2 = (k + 2u) / 5u;
		let db2_d1 = i32(db2_q2 % 5u);
		let db2_q1 = db2_q2 / 5u;
		let db2_d0 = i32(db2_q1);
		let db2_off = db2_d0 * 1024 + db2_d1 * 32 + db2_d2;
		let db2_h = db2_d1;
		let db2_w = db2_d2;
		let db3_d2 = i32((k + 3u) % 5u);
		let db3_q2 = (k + 3u) / 5u;
		let db3_d1 = i32(db3_q2 % 5u);
		let db3_q1 = db3_q2 / 5u;
		let db3_d0 = i32(db3_q1);
		let db3_off = db3_d0 * 1024 + db3_d1 * 32 + db3_d2;
		let db3_h = db3_d1;
		let db3_w = db3_d2;
		let b0_0_h = rb0_h + db0_h;
		let b0_0_w = rb0_w + db0_w;
		let b0_0_ok = (vec4<u32>(b0_0_h) < vec4<u32>(32u)) & (vec4<u32>(b0_0_w) < vec4<u32>(32u));
		let b0_0_i = select(vec4<i32>(0), rb0_off + db0_off, b0_0_ok);
		let b0_0 = select(vec4<f32>(0.0), vec4<f32>(b[b0_0_i.x], b[b0_0_i.y], b[b0_0_i.z], b[b0_0_i.w]), b0_0_ok);
		let b0_1_h = rb0_h + db1_h;
		let b0_1_w = rb0_w + db1_w;
		let b0_1_ok = (vec4<u32>(b0_1_h) < vec4<u32>(32u)) & (vec4<u32>(b0_1_w) < vec4<u32>(32u));
		let b0_1_i = select(vec4<i32>(0), rb0_off + db1_off, b0_1_ok);
		let b0_1 = select(vec4<f32>(0.0), vec4<f32>(b[b0_1_i.x], b[b0_1_i.y], b[b0_1_i.z], b[b0_1_i.w]), b0_1_ok);
		let b0_2_h = rb0_h + db2_h;
		let b0_2_w = rb0_w + db2_w;
		let b0_2_ok = (vec4<u32>(b0_2_h) < vec4<u32>(32u)) & (vec4<u32>(b0_2_w) < vec4<u32>(32u));
		let b0_2_i = select(vec4<i32>(0), rb0_off + db2_off, b0_2_ok);
		let b0_2 = select(vec4<f32>(0.0), vec4<f32>(b[b0_2_i.x], b[b0_2_i.y], b[b0_2_i.z], b[b0_2_i.w]), b0_2_ok);
		let b0_3_h = rb0_h + db3_h;
		let b0_3_w = rb0_w + db3_w;
		let b0_3_ok = (vec4<u32>(b0_3_h) < vec4<u32>(32u)) & (vec4<u32>(b0_3_w) < vec4<u32>(32u));
		let b0_3_i = select(vec4<i32>(0), rb0_off + db3_off, b0_3_ok);
		let b0_3 = select(vec4<f32>(0.0), vec4<f32>(b[b0_3_i.x], b[b0_3_i.y], b[b0_3_i.z], b[b0_3_i.w]), b0_3_ok);
		let b1_0_h = rb1_h + db0_h;
		let b1_0_w = rb1_w + db0_w;
		let b1_0_ok = (vec4<u32>(b1_0_h) < vec4<u32>(32u)) & (vec4<u32>(b1_0_w) < vec4<u32>(32u));
		let b1_0_i = select(vec4<i32>(0), rb1_off + db0_off, b1_0_ok);
		let b1_0 = select(vec4<f32>(0.0), vec4<f32>(b[b1_0_i.x], b[b1_0_i.y], b[b1_0_i.z], b[b1_0_i.w]), b1_0_ok);
		let b1_1_h = rb1_h + db1_h;
		let b1_1_w = rb1_w + db1_w;
		let b1_1_ok = (vec4<u32>(b1_1_h) < vec4<u32>(32u)) & (vec4<u32>(b1_1_w) < vec4<u32>(32u));
		let b1_1_i = select(vec4<i32>(0), rb1_off + db1_off, b1_1_ok);
		let b1_1 = select(vec4<f32>(0.0), vec4<f32>(b[b1_1_i.x], b[b1_1_i.y], b[b1_1_i.z], b[b1_1_i.w]), b1_1_ok);
		let b1_2_h = rb1_h + db2_h;
		let b1_2_w = rb1_w + db2_w;
		let b1_2_ok = (vec4<u32>(b1_2_h) < vec4<u32>(32u)) & (vec4<u32>(b1_2_w) < vec4<u32>(32u));
		let b1_2_i = select(vec4<i32>(0), rb1_off + db2_off, b1_2_ok);
		let b1_2 = select(vec4<f32>(0.0), vec4<f32>(b[b1_2_i.x], b[b1_2_i.y], b[b1_2_i.z], b[b1_2_i.w]), b1_2_ok);
		let b1_3_h = rb1_h + db3_h;
		let b1_3_w = rb1_w + db3_w;
		let b1_3_ok = (vec4<u32>(b1_3_h) < vec4<u32>(32u)) & (vec4<u32>(b1_3_w) < vec4<u32>(32u));
		let b1_3_i = select(vec4<i32>(0), rb1_off + db3_off, b1_3_ok);
		let b1_3 = select(vec4<f32>(0.0), vec4<f32>(b[b1_3_i.x], b[b1_3_i.y], b[b1_3_i.z], b[b1_3_i.w]), b1_3_ok);
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
		c0_0 += a0_1.x * b0_1;
		c0_1 += a0_1.x * b1_1;
		c1_0 += a0_1.y * b0_1;
		c1_1 += a0_1.y * b1_1;
		c2_0 += a0_1.z * b0_1;
		c2_1 += a0_1.z * b1_1;
		c3_0 += a0_1.w * b0_1;
		c3_1 += a0_1.w * b1_1;
		c4_0 += a1_1.x * b0_1;
		c4_1 += a1_1.x * b1_1;
		c5_0 += a1_1.y * b0_1;
		c5_1 += a1_1.y * b1_1;
		c6_0 += a1_1.z * b0_1;
		c6_1 += a1_1.z * b1_1;
		c7_0 += a1_1.w * b0_1;
		c7_1 += a1_1.w * b1_1;
		c0_0 += a0_2.x * b0_2;
		c0_1 += a0_2.x * b1_2;
		c1_0 += a0_2.y * b0_2;
		c1_1 += a0_2.y * b1_2;
		c2_0 += a0_2.z * b0_2;
		c2_1 += a0_2.z * b1_2;
		c3_0 += a0_2.w * b0_2;
		c3_1 += a0_2.w * b1_2;
		c4_0 += a1_2.x * b0_2;
		c4_1 += a1_2.x * b1_2;
		c5_0 += a1_2.y * b0_2;
		c5_1 += a1_2.y * b1_2;
		c6_0 += a1_2.z * b0_2;
		c6_1 += a1_2.z * b1_2;
		c7_0 += a1_2.w * b0_2;
		c7_1 += a1_2.w * b1_2;
		c0_0 += a0_3.x * b0_3;
		c0_1 += a0_3.x * b1_3;
		c1_0 += a0_3.y * b0_3;
		c1_1 += a0_3.y * b1_3;
		c2_0 += a0_3.z * b0_3;
		c2_1 += a0_3.z * b1_3;
		c3_0 += a0_3.w * b0_3;
		c3_1 += a0_3.w * b1_3;
		c4_0 += a1_3.x * b0_3;
		c4_1 += a1_3.x * b1_3;
		c5_0 += a1_3.y * b0_3;
		c5_1 += a1_3.y * b1_3;
		c6_0 += a1_3.z * b0_3;
		c6_1 += a1_3.z * b1_3;
		c7_0 += a1_3.w * b0_3;
		c7_1 += a1_3.w * b1_3;
	}
	let nq0 = n0 + 4u * (lid.x) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc0_d1 = vec4<i32>(nq0 % 256u);
	let oc0_q1 = nq0 / 256u;
	let oc0_d0 = vec4<i32>(oc0_q1);
	let oc0_off = oc0_d0 * 32768 + oc0_d1;
	let nq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc1_d1 = vec4<i32>(nq1 % 256u);
	let oc1_q1 = nq1 / 256u;
	let oc1_d0 = vec4<i32>(oc1_q1);
	let oc1_off = oc1_d0 * 32768 + oc1_d1;
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c0_0.x);
		dst[o0.y] = post(u32(o0.y), c0_0.y);
		dst[o0.z] = post(u32(o0.z), c0_0.z);
		dst[o0.w] = post(u32(o0.w), c0_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c0_1.x);
		dst[o1.y] = post(u32(o1.y), c0_1.y);
		dst[o1.z] = post(u32(o1.z), c0_1.z);
		dst[o1.w] = post(u32(o1.w), c0_1.w);
	}
	{
		let m = m0 + 4u * (lid.y) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c1_0.x);
		dst[o0.y] = post(u32(o0.y), c1_0.y);
		dst[o0.z] = post(u32(o0.z), c1_0.z);
		dst[o0.w] = post(u32(o0.w), c1_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c1_1.x);
		dst[o1.y] = post(u32(o1.y), c1_1.y);
		dst[o1.z] = post(u32(o1.z), c1_1.z);
		dst[o1.w] = post(u32(o1.w), c1_1.w);
	}
	{
		let m = m0 + 4u * (lid.y) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c2_0.x);
		dst[o0.y] = post(u32(o0.y), c2_0.y);
		dst[o0.z] = post(u32(o0.z), c2_0.z);
		dst[o0.w] = post(u32(o0.w), c2_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c2_1.x);
		dst[o1.y] = post(u32(o1.y), c2_1.y);
		dst[o1.z] = post(u32(o1.z), c2_1.z);
		dst[o1.w] = post(u32(o1.w), c2_1.w);
	}
	{
		let m = m0 + 4u * (lid.y) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c3_0.x);
		dst[o0.y] = post(u32(o0.y), c3_0.y);
		dst[o0.z] = post(u32(o0.z), c3_0.z);
		dst[o0.w] = post(u32(o0.w), c3_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c3_1.x);
		dst[o1.y] = post(u32(o1.y), c3_1.y);
		dst[o1.z] = post(u32(o1.z), c3_1.z);
		dst[o1.w] = post(u32(o1.w), c3_1.w);
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c4_0.x);
		dst[o0.y] = post(u32(o0.y), c4_0.y);
		dst[o0.z] = post(u32(o0.z), c4_0.z);
		dst[o0.w] = post(u32(o0.w), c4_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c4_1.x);
		dst[o1.y] = post(u32(o1.y), c4_1.y);
		dst[o1.z] = post(u32(o1.z), c4_1.z);
		dst[o1.w] = post(u32(o1.w), c4_1.w);
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 1u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c5_0.x);
		dst[o0.y] = post(u32(o0.y), c5_0.y);
		dst[o0.z] = post(u32(o0.z), c5_0.z);
		dst[o0.w] = post(u32(o0.w), c5_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c5_1.x);
		dst[o1.y] = post(u32(o1.y), c5_1.y);
		dst[o1.z] = post(u32(o1.z), c5_1.z);
		dst[o1.w] = post(u32(o1.w), c5_1.w);
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 2u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c6_0.x);
		dst[o0.y] = post(u32(o0.y), c6_0.y);
		dst[o0.z] = post(u32(o0.z), c6_0.z);
		dst[o0.w] = post(u32(o0.w), c6_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c6_1.x);
		dst[o1.y] = post(u32(o1.y), c6_1.y);
		dst[o1.z] = post(u32(o1.z), c6_1.z);
		dst[o1.w] = post(u32(o1.w), c6_1.w);
	}
	{
		let m = m0 + 4u * (lid.y + 1u * TY) + 3u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 256;
		let o0 = om_off + oc0_off;
		dst[o0.x] = post(u32(o0.x), c7_0.x);
		dst[o0.y] = post(u32(o0.y), c7_0.y);
		dst[o0.z] = post(u32(o0.z), c7_0.z);
		dst[o0.w] = post(u32(o0.w), c7_0.w);
		let o1 = om_off + oc1_off;
		dst[o1.x] = post(u32(o1.x), c7_1.x);
		dst[o1.y] = post(u32(o1.y), c7_1.y);
		dst[o1.z] = post(u32(o1.z), c7_1.z);
		dst[o1.w] = post(u32(o1.w), c7_1.w);
	}
}
