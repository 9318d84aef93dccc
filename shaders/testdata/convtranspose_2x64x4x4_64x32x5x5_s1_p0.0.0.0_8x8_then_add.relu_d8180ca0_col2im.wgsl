// convtranspose_2x64x4x4_64x32x5x5_s1_p0.0.0.0_8x8_then_add.relu_d8180ca0_col2im
//
// dx[n, c, h, v] = Σ cols[(c, p, q), (n, i, j)] over the taps with
// i·S + p - T = h and j·S + q - L = v: the gather half of a transposed
// convolution computed as a GEMM into image columns.

@group(0) @binding(0) var<storage, read> cols: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 8>;

const C = 32u;
const H = 8u;
const W = 8u;
const KH = 5u;
const KW = 5u;
const OH = 4u;
const OW = 4u;
const S = 1u;
const T = 0u; // top padding
const L = 0u; // left padding
const NCOL = 32u; // N·OH·OW, the columns of cols
const TOTAL = 4096u; // N·C·H·W
const GRID_X = 16u;

// post is what the kernel stores for the contraction's value s at flat index j of [2 32 8 8].
fn post(j: u32, s: f32) -> f32 {
    let v1 = in2[(((j / 64u) % 32u)) / 4u][(((j / 64u) % 32u)) % 4u];
    let v2 = s + v1;
    let v3 = select(0.0, v2, v2 > 0.0);
    return v3;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
	let e = gid.y * (GRID_X * 256u) + gid.x;
	if (e >= TOTAL) {
		return;
	}
	let v = e % W;
	let h = (e / W) % H;
	let c = (e / (W * H)) % C;
	let n = e / (W * H * C);
	var s = 0.0;
	// p runs over the taps with p ≡ h + T (mod S) and p ≤ h + T.
	for (var p = (h + T) % S; p < KH && p <= h + T; p += S) {
		let i = (h + T - p) / S;
		if (i < OH) {
			let row = ((c * KH + p) * KW) * NCOL + (n * OH + i) * OW;
			for (var q = (v + L) % S; q < KW && q <= v + L; q += S) {
				let j = (v + L - q) / S;
				if (j < OW) {
					s += cols[row + q * NCOL + j];
				}
			}
		}
	}
	dx[e] = post(e, s);
}
