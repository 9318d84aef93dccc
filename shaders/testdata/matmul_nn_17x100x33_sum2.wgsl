// matmul_nn_17x100x33_sum2
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;

const N = 33u;
const TOTAL = 561u; // M·N
const SPLITS = 2u;
const GRID_X = 3u;

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
	dst[om_off + on_off] = s;
}
