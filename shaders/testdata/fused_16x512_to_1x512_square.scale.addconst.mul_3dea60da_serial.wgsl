// fused_16x512_to_1x512_square.scale.addconst.mul_3dea60da_serial: y[j] = Σ_r value(first(j) + at(r)) for 512 outputs of 16 summands.
// One invocation per output sums its R summands in order.
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 2048>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 2048>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const OUTPUTS: u32 = 512u;
const R: u32 = 16u; // summands per output
const ROW: u32 = 2u; // workgroups along x of the dispatch

// first is the flat index of output j's first summand.
fn first(j: u32) -> u32 {
    return j;
}

// at is the offset from first(j) of output j's r-th summand.
fn at(r: u32) -> u32 {
    return r * 512u;
}

// value is the fused expression at flat index i of [16 512]:
// fused [16 512] sumto [1 512] in0 in1 : v0=load0 v1=load1 v2=square(v1) v3=scale -1(v2) v4=addconst 1(v3) v5=mul(v0,v4)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = in1[(i) / 4u][(i) % 4u];
    let v2 = v1 * v1;
    let v3 = (-1.0) * v2;
    let v4 = v3 + 1.0;
    let v5 = v0 * v4;
    return v5;
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
        y[j] = acc;
    }
}
