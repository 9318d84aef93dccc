// fused_240_mul.tanh.mul.add_3dec70d3: y[i] = value(i) for the 240 elements of [240].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 60>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 60>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 10>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

const N: u32 = 240u;
const ROW: u32 = 1u; // workgroups along x of the dispatch

// value is the fused expression at flat index i of [240]:
// fused [240] in0 in1 in2[1 40]@[6 40] : v0=load0 v1=mul(v0,v0) v2=tanh(v1) v3=load1 v4=load2 v5=mul(v3,v4) v6=add(v2,v5)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = v0 * v0;
    let v2 = tanh(clamp(v1, -15.0, 15.0));
    let v3 = in1[(i) / 4u][(i) % 4u];
    let v4 = in2[((i % 40u)) / 4u][((i % 40u)) % 4u];
    let v5 = v3 * v4;
    let v6 = v2 + v5;
    return v6;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = value(i);
    }
}
