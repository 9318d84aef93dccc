// fused_4x64x16x16_add.leakyrelu_d058d65a: y[i] = value(i) for the 65536 elements of [4 64 16 16].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 16>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const N: u32 = 65536u;
const ROW: u32 = 256u; // workgroups along x of the dispatch

// value is the fused expression at flat index i of [4 64 16 16]:
// fused [4 64 16 16] in0 in1[1 64 1 1]@[4 64 16 16] : v0=load0 v1=load1 v2=add(v0,v1) v3=leakyrelu 0.2(v2)
fn value(i: u32) -> f32 {
    let v0 = in0[i];
    let v1 = in1[(((i / 256u) % 64u)) / 4u][(((i / 256u) % 64u)) % 4u];
    let v2 = v0 + v1;
    let v3 = select(0.2 * v2, v2, v2 > 0.0);
    return v3;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = value(i);
    }
}
