// matmul_tt_64x100x1024_direct8x8
//
// Direct implicit GEMM: dst[m, n] = Σ_k A[m, k]·B[k, n] over the depth
// range of this invocation's split. Each invocation computes a 8×8
// block (vec4 along n) of its own, reading A and B straight from the op's
// buffers one depth at a time, or four where it reads an operand by four
// depths (zero outside the matrix or the image): no
// workgroup memory, no barriers and a small body, which a software adapter
// compiles many times faster than the tiled kernel.

// A is read by quads of rows (vec4), B four depths at a time (vec4); an operand read by vec4 whose whole
// buffer fits 64 KiB is a uniform binding (operandBinding).
@group(0) @binding(0) var<uniform> a: array<vec4<f32>, 1600>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const M = 64u;
const TX = 1u; // an invocation's block is contiguous: its quads 1 apart
const TY = 1u;
const GRID_X = 64u;
const BLOCKS = 1024u; // the invocations with a block
const N = 1024u;
const K = 100u;
const TILES_N = 128u;
const SPLIT_K = 100u; // depth per split, a multiple of BK

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
	let ra0_off = ra0_d0;
	let ra1 = m0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
	let ra1_d0 = vec4<i32>(ra1);
	let ra1_off = ra1_d0;
	let rb0 = n0 + 0u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb0_d0 = vec4<i32>(rb0);
	let rb0_off = rb0_d0 * 100;
	let rb1 = n0 + 4u + vec4<u32>(0u, 1u, 2u, 3u);
	let rb1_d0 = vec4<i32>(rb1);
	let rb1_off = rb1_d0 * 100;

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
		let da0_off = da0_d0 * 64;
		let da1_d0 = i32((k + 1u));
		let da1_off = da1_d0 * 64;
		let da2_d0 = i32((k + 2u));
		let da2_off = da2_d0 * 64;
		let da3_d0 = i32((k + 3u));
		let da3_off = da3_d0 * 64;
		let a0_0 = a[(ra0_off.x + da0_off) / 4];
		let a0_1 = a[(ra0_off.x + da1_off) / 4];
		let a0_2 = a[(ra0_off.x + da2_off) / 4];
		let a0_3 = a[(ra0_off.x + da3_off) / 4];
		let a1_0 = a[(ra1_off.x + da0_off) / 4];
		let a1_1 = a[(ra1_off.x + da1_off) / 4];
		let a1_2 = a[(ra1_off.x + da2_off) / 4];
		let a1_3 = a[(ra1_off.x + da3_off) / 4];
		let db0_d0 = i32(k);
		let db0_off = db0_d0;
		let b0r0 = b[(rb0_off.x + db0_off) / 4];
		let b0r1 = b[(rb0_off.y + db0_off) / 4];
		let b0r2 = b[(rb0_off.z + db0_off) / 4];
		let b0r3 = b[(rb0_off.w + db0_off) / 4];
		let b0_0 = vec4<f32>(b0r0.x, b0r1.x, b0r2.x, b0r3.x);
		let b0_1 = vec4<f32>(b0r0.y, b0r1.y, b0r2.y, b0r3.y);
		let b0_2 = vec4<f32>(b0r0.z, b0r1.z, b0r2.z, b0r3.z);
		let b0_3 = vec4<f32>(b0r0.w, b0r1.w, b0r2.w, b0r3.w);
		let b1r0 = b[(rb1_off.x + db0_off) / 4];
		let b1r1 = b[(rb1_off.y + db0_off) / 4];
		let b1r2 = b[(rb1_off.z + db0_off) / 4];
		let b1r3 = b[(rb1_off.w + db0_off) / 4];
		let b1_0 = vec4<f32>(b1r0.x, b1r1.x, b1r2.x, b1r3.x);
		let b1_1 = vec4<f32>(b1r0.y, b1r1.y, b1r2.y, b1r3.y);
		let b1_2 = vec4<f32>(b1r0.z, b1r1.z, b1r2.z, b1r3.z);
		let b1_3 = vec4<f32>(b1r0.w, b1r1.w, b1r2.w, b1r3.w);
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
	let oc0_d0 = vec4<i32>(nq0);
	let oc0_off = oc0_d0;
	let nq1 = n0 + 4u * (lid.x + 1u * TX) + vec4<u32>(0u, 1u, 2u, 3u);
	let oc1_d0 = vec4<i32>(nq1);
	let oc1_off = oc1_d0;
	{
		let m = m0 + 4u * (lid.y) + 0u;
		let om_d0 = i32(m);
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
		let om_off = om_d0 * 1024;
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
