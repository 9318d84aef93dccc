// fused_64x3x64x64_to_64x1x1x1_square_then_addconst.sqrt.addconst.square.mul_df35dd09_tree_3x16: partial sums of 3 chunks for each of 64 outputs of 12288 summands.
// One workgroup per (output j, chunk c) of CHUNK summands: each invocation
// sums PER of them, 256 apart, then the workgroup adds its 256 sums in
// workgroup memory, 16 at a time, and writes y[j·CHUNKS + c].
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 16>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const OUTPUTS: u32 = 64u;
const R: u32 = 12288u; // summands per output
const PER: u32 = 16u;
const CHUNK: u32 = 256u * PER;
const CHUNKS: u32 = 3u; // chunks per output
const ROW: u32 = 192u; // workgroups along x of the dispatch

var<workgroup> part: array<f32, 256>;

// first is the flat index of output j's first summand.
fn first(j: u32) -> u32 {
    return j * 12288u;
}

// at is the offset from first(j) of output j's r-th summand.
fn at(r: u32) -> u32 {
    return r;
}

// value is the fused expression at flat index i of [64 3 64 64]:
// fused [64 3 64 64] sumto [64 1 1 1] in0 in1 : v0=load0 v1=square(v0) then e0=core e1=addconst 1e-12(v0) e2=sqrt(v1) e3=addconst -1(v2) e4=square(v3) e5=load1 e6=mul(v4,v5)
fn value(i: u32) -> f32 {
    let v0 = in0[i];
    let v1 = v0 * v0;
    return v1;
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
