// {{.Name}}
//
// dst[position of (m, n)] = Σ_s part[s][m][n], in split order.

@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
{{.Extra}}
const N = {{.N}}u;
const TOTAL = {{.Total}}u; // M·N
const SPLITS = {{.Splits}}u;
const GRID_X = {{.GridX}}u;
{{if .Post}}
{{.Post}}{{end}}
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
{{.Index}}{{if .Post}}	dst[om_off + on_off] = post(u32(om_off + on_off), s);
{{else}}	dst[om_off + on_off] = s;
{{end}}}
