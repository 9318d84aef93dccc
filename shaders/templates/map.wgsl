{{define "map.wgsl" -}}
// {{.Name}}: {{.Doc}}
// Elementwise: one invocation per element.
{{.Decls}}
const N: u32 = {{.N}}u;
const ROW: u32 = {{.Row}}u; // workgroups along x of the dispatch
{{.Helpers}}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
{{.Body}}    }
}
{{end}}
