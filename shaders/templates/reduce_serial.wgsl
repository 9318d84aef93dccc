{{define "reduce_serial.wgsl" -}}
// {{.Name}}: {{.Doc}}
// One invocation per output sums its R summands in order.
{{.Decls}}
const OUTPUTS: u32 = {{.Outputs}}u;
const R: u32 = {{.R}}u; // summands per output
const ROW: u32 = {{.Row}}u; // workgroups along x of the dispatch

// first is the flat index of output j's first summand.
fn first(j: u32) -> u32 {
    return {{.First}};
}

// at is the offset from first(j) of output j's r-th summand.
fn at(r: u32) -> u32 {
    return {{.At}};
}

{{.Value}}{{if .Post}}
{{.Post}}{{end}}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let j = (wg.x + wg.y * ROW) * 256u + lane;
    if (j < OUTPUTS) {
        let b = first(j);
        var acc = 0.0;
        for (var r = 0u; r < R; r++) {
            acc += value(b + at(r));
        }
{{if .Post}}        y[j] = post(j, acc);
{{else}}        y[j] = acc;
{{end}}    }
}
{{end}}
