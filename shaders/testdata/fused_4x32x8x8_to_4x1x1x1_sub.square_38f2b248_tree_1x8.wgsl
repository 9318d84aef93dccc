// fused_4x32x8x8_to_4x1x1x1_sub.square_38f2b248_tree_1x8: y[j] = Σ_r value(first(j) + at(r)) for 4 outputs of 2048 summands.
// One workgroup per (output j, chunk c) of CHUNK summands: each invocation
// sums PER of them, 256 apart, then the workgroup adds its 256 sums in
// workgroup memory, 16 at a time, and writes y[j·CHUNKS + c].
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 2048>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 1>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const OUTPUTS: u32 = 4u;
const R: u32 = 2048u; // summands per output
const PER: u32 = 8u;
const CHUNK: u32 = 256u * PER;
const CHUNKS: u32 = 1u; // chunks per output
const ROW: u32 = 4u; // workgroups along x of the dispatch

var<workgroup> part: array<f32, 256>;

// first is the flat index of output j's first summand.
fn first(j: u32) -> u32 {
    return j * 2048u;
}

// at is the offset from first(j) of output j's r-th summand.
fn at(r: u32) -> u32 {
    return r;
}

// value is the fused expression at flat index i of [4 32 8 8]:
// fused [4 32 8 8] sumto [4 1 1 1] in0 in1[4 1 1 1]@[4 32 8 8] : v0=load0 v1=load1 v2=sub(v0,v1) v3=square(v2)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = in1[((i / 2048u)) / 4u][((i / 2048u)) % 4u];
    let v2 = v0 - v1;
    let v3 = v2 * v2;
    return v3;
}

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
        y[id] = t;
    }
}
