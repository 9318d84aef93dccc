// {{.Name}}
//
// dx[n, c, h, v] = Σ cols[(c, p, q), (n, i, j)] over the taps with
// i·S + p - T = h and j·S + q - L = v: the gather half of a transposed
// convolution computed as a GEMM into image columns.

@group(0) @binding(0) var<storage, read> cols: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
{{.Extra}}
const C = {{.C}}u;
const H = {{.H}}u;
const W = {{.W}}u;
const KH = {{.KH}}u;
const KW = {{.KW}}u;
const OH = {{.OH}}u;
const OW = {{.OW}}u;
const S = {{.S}}u;
const T = {{.T}}u; // top padding
const L = {{.L}}u; // left padding
const NCOL = {{.NCol}}u; // N·OH·OW, the columns of cols
const TOTAL = {{.Total}}u; // N·C·H·W
const GRID_X = {{.GridX}}u;
{{if .Post}}
{{.Post}}{{end}}
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
{{if .Post}}	dx[e] = post(e, s);
{{else}}	dx[e] = s;
{{end}}}
