// fused_64x3x64x64_to_64x1x1x1_square_then_addconst.sqrt.addconst.square.mul_df35dd09_partials_64x3_serial: y[j] = post(j, Σ_r value(first(j) + at(r))) for 64 outputs of 3 summands.
// One invocation per output sums its R summands in order.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 16>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const OUTPUTS: u32 = 64u;
const R: u32 = 3u; // summands per output
const ROW: u32 = 1u; // workgroups along x of the dispatch

// first is the flat index of output j's first summand.
fn first(j: u32) -> u32 {
    return j * 3u;
}

// at is the offset from first(j) of output j's r-th summand.
fn at(r: u32) -> u32 {
    return r;
}

// value is the summand at flat index i.
fn value(i: u32) -> f32 {
    return x[i];
}

// post is what the kernel stores for the sum s at flat index j of [64 1 1 1].
fn post(j: u32, s: f32) -> f32 {
    let v1 = s + 1e-12;
    let v2 = sqrt(v1);
    let v3 = v2 + (-1.0);
    let v4 = v3 * v3;
    let v5 = in1[(j) / 4u][(j) % 4u];
    let v6 = v4 * v5;
    return v6;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let j = (wg.x + wg.y * ROW) * 256u + lane;
    if (j < OUTPUTS) {
        let b = first(j);
        var acc = 0.0;
        for (var r = 0u; r < R; r++) {
            acc += value(b + at(r));
        }
        y[j] = post(j, acc);
    }
}
