// sum_partials_64x3_serial: y[j] = Σ_r x[first(j) + at(r)] for 64 outputs of 3 inputs.
// One invocation per output sums its R inputs in order.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

const OUTPUTS: u32 = 64u;
const R: u32 = 3u; // inputs per output
const ROW: u32 = 1u; // workgroups along x of the dispatch

// first is the index in x of output j's first input.
fn first(j: u32) -> u32 {
    return j * 3u;
}

// at is the offset from first(j) of output j's r-th input.
fn at(r: u32) -> u32 {
    return r;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let j = (wg.x + wg.y * ROW) * 256u + lane;
    if (j < OUTPUTS) {
        let b = first(j);
        var acc = 0.0;
        for (var r = 0u; r < R; r++) {
            acc += x[b + at(r)];
        }
        y[j] = acc;
    }
}
