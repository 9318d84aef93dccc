// convfilter_1x3x7x9_1x5x7x9_s1_p1.1.1.1_3x3_then_scale.add_ef672d2b_sum2
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 34>;

const N = 27u;
const TOTAL = 135u; // M·N
const SPLITS = 2u;
const GRID_X = 1u;

// post is what the kernel stores for the contraction's value s at flat index j of [5 3 3 3].
fn post(j: u32, s: f32) -> f32 {
    let v1 = 0.5 * s;
    let v2 = in2[(j) / 4u][(j) % 4u];
    let v3 = v1 + v2;
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
	let om_off = om_d0 * 27;
	let on_d0 = i32(i % N);
	let on_off = on_d0;
	dst[om_off + on_off] = post(u32(om_off + on_off), s);
}
