// fused_4x32x8x8_sub.mul.mul.add.leakyrelu_1fa5e80f: y[i] = value(i) for the 8192 elements of [4 32 8 8].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 2048>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 1>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 1>;
@group(0) @binding(3) var<uniform> in3: array<vec4<f32>, 8>;
@group(0) @binding(4) var<uniform> in4: array<vec4<f32>, 8>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;

const N: u32 = 8192u;
const ROW: u32 = 32u; // workgroups along x of the dispatch

// value is the fused expression at flat index i of [4 32 8 8]:
// fused [4 32 8 8] in0 in1[4 1 1 1]@[4 32 8 8] in2[4 1 1 1]@[4 32 8 8] in3[1 32 1 1]@[4 32 8 8] in4[1 32 1 1]@[4 32 8 8] : v0=load0 v1=load1 v2=sub(v0,v1) v3=load2 v4=mul(v2,v3) v5=load3 v6=mul(v4,v5) v7=load4 v8=add(v6,v7) v9=leakyrelu 0.2(v8)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = in1[((i / 2048u)) / 4u][((i / 2048u)) % 4u];
    let v2 = v0 - v1;
    let v3 = in2[((i / 2048u)) / 4u][((i / 2048u)) % 4u];
    let v4 = v2 * v3;
    let v5 = in3[(((i / 64u) % 32u)) / 4u][(((i / 64u) % 32u)) % 4u];
    let v6 = v4 * v5;
    let v7 = in4[(((i / 64u) % 32u)) / 4u][(((i / 64u) % 32u)) % 4u];
    let v8 = v6 + v7;
    let v9 = select(0.2 * v8, v8, v8 > 0.0);
    return v9;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = value(i);
    }
}
