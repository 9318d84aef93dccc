// convtranspose_2x32x8x8_32x16x5x5_s2_p1.1.2.2_16x16_then_leakymask.mul_7c4e3f88_phases4_sum2
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;

const N = 8192u;
const TOTAL = 8192u; // M·N
const SPLITS = 2u;
const GRID_X = 32u;

// post is what the kernel stores for the contraction's value s at flat index j of [2 16 16 16].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[j];
    let v2 = select(0.2, 1.0, v1 > 0.0);
    let v3 = s * v2;
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
	let om_off = i32(0);
	let on_d0 = i32(i % N);
	let on_off = on_d0;
	dst[om_off + on_off] = post(u32(om_off + on_off), s);
}
