{{define "reduce_tree.wgsl" -}}
// {{.Name}}: {{.Doc}}
// One workgroup per (output j, chunk c) of CHUNK summands: each invocation
// sums PER of them, 256 apart, then the workgroup adds its 256 sums in
// workgroup memory, 16 at a time, and writes y[j·CHUNKS + c].
{{.Decls}}
const OUTPUTS: u32 = {{.Outputs}}u;
const R: u32 = {{.R}}u; // summands per output
const PER: u32 = {{.Per}}u;
const CHUNK: u32 = 256u * PER;
const CHUNKS: u32 = {{.Chunks}}u; // chunks per output
const ROW: u32 = {{.Row}}u; // workgroups along x of the dispatch

var<workgroup> part: array<f32, 256>;

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
    let id = wg.x + wg.y * ROW;
    let j = id / CHUNKS;
    let c = id % CHUNKS;
    var acc = 0.0;
    if (j < OUTPUTS) {
        let b = first(j);
        for (var k = 0u; k < PER; k++) {
            let r = c * CHUNK + k * 256u + lane;
            if (r < R) {
                acc += value(b + at(r));
            }
        }
    }
    part[lane] = acc;
    workgroupBarrier();
    if (lane < 16u) {
        var t = 0.0;
        for (var k = 0u; k < 16u; k++) {
            t += part[lane * 16u + k];
        }
        part[lane * 16u] = t;
    }
    workgroupBarrier();
    if (lane == 0u && j < OUTPUTS) {
        var t = 0.0;
        for (var k = 0u; k < 16u; k++) {
            t += part[k * 16u];
        }
{{if .Post}}        y[id] = post(id, t);
{{else}}        y[id] = t;
{{end}}    }
}
{{end}}
