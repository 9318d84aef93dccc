// matmul_nt_17x100x33_then_add.tanh_257dfe55_sum2
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 9>;

const N = 33u;
const TOTAL = 561u; // M·N
const SPLITS = 2u;
const GRID_X = 3u;

// post is what the kernel stores for the contraction's value s at flat index j of [17 33].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[((j % 33u)) / 4u][((j % 33u)) % 4u];
    let v2 = s + v1;
    let v3 = tanh(clamp(v2, -15.0, 15.0));
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
	let om_off = om_d0 * 33;
	let on_d0 = i32(i % N);
	let on_off = on_d0;
	dst[om_off + on_off] = post(u32(om_off + on_off), s);
}
