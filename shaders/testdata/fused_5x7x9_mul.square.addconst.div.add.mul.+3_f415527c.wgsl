// fused_5x7x9_mul.square.addconst.div.add.mul.+3_f415527c: y[i] = value(i) for the 315 elements of [5 7 9].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 79>;
@group(0) @binding(1) var<uniform> in1: array<vec4<f32>, 79>;
@group(0) @binding(2) var<uniform> in2: array<vec4<f32>, 79>;
@group(0) @binding(3) var<uniform> in3: array<vec4<f32>, 12>;
@group(0) @binding(4) var<uniform> in4: array<vec4<f32>, 2>;
@group(0) @binding(5) var<uniform> in5: array<vec4<f32>, 79>;
@group(0) @binding(6) var<uniform> in6: array<vec4<f32>, 1>;
@group(0) @binding(7) var<storage, read_write> y: array<f32>;

const N: u32 = 315u;
const ROW: u32 = 2u; // workgroups along x of the dispatch

// value is the fused expression at flat index i of [5 7 9]:
// fused [5 7 9] in0 in1 in2 in3[5 1 9]@[5 7 9] in4[1 7 1]@[5 7 9] in5 in6[1 1 1]@[5 7 9] : v0=load0 v1=load1 v2=mul(v0,v1) v3=load2 v4=load3 v5=square(v4) v6=addconst 0.5(v5) v7=div(v3,v6) v8=add(v2,v7) v9=load4 v10=mul(v8,v9) v11=load5 v12=load6 v13=mul(v11,v12) v14=sub(v10,v13) v15=sigmoid(v14)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = in1[(i) / 4u][(i) % 4u];
    let v2 = v0 * v1;
    let v3 = in2[(i) / 4u][(i) % 4u];
    let v4 = in3[((i / 63u) * 9u + (i % 9u)) / 4u][((i / 63u) * 9u + (i % 9u)) % 4u];
    let v5 = v4 * v4;
    let v6 = v5 + 0.5;
    let v7 = v3 / v6;
    let v8 = v2 + v7;
    let v9 = in4[(((i / 9u) % 7u)) / 4u][(((i / 9u) % 7u)) % 4u];
    let v10 = v8 * v9;
    let v11 = in5[(i) / 4u][(i) % 4u];
    let v12 = in6[(0u) / 4u][(0u) % 4u];
    let v13 = v11 * v12;
    let v14 = v10 - v13;
    let v15 = 1.0 / (1.0 + exp(-v14));
    return v15;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = value(i);
    }
}
