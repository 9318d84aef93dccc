// conv2d_4x64x32x32_128x64x5x5_s2_p1.1.2.2_then_add.leakyrelu_38124d86_sum2
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;

const N = 1024u;
const TOTAL = 131072u; // M·N
const SPLITS = 2u;
const GRID_X = 512u;

// post is what the kernel stores for the contraction's value s at flat index j of [4 128 16 16].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[((j / 256u) % 128u)];
    let v2 = s + v1;
    let v3 = select(0.2 * v2, v2, v2 > 0.0);
    return v3;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
	let i = gid.y * (GRID_X * 256u) + gid.x;
	if (i >= TOTAL) {
		return;
	}
	var s = 0.0;
	for (var k = 0u; k < SPLITS; k++) {
		s += part[k * TOTAL + i];
	}
	let om_d0 = i32(i / N);
	let om_off = om_d0 * 256;
	let on_d1 = i32(i % N % 256u);
	let on_q1 = i % N / 256u;
	let on_d0 = i32(on_q1);
	let on_off = on_d0 * 32768 + on_d1;
	dst[om_off + on_off] = post(u32(om_off + on_off), s);
}
