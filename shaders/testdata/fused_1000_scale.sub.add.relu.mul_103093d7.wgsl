// fused_1000_scale.sub.add.relu.mul_103093d7: y[i] = value(i) for the 1000 elements of [1000].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<uniform> in0: array<vec4<f32>, 250>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

const N: u32 = 1000u;
const ROW: u32 = 4u; // workgroups along x of the dispatch

// value is the fused expression at flat index i of [1000]:
// fused [1000] in0 : v0=load0 v1=scale -1.75(v0) v2=-1.5 v3=sub(v1,v2) v4=0.5 v5=add(v3,v4) v6=relu(v0) v7=mul(v5,v6)
fn value(i: u32) -> f32 {
    let v0 = in0[(i) / 4u][(i) % 4u];
    let v1 = (-1.75) * v0;
    let v3 = v1 - (-1.5);
    let v5 = v3 + 0.5;
    let v6 = select(0.0, v0, v0 > 0.0);
    let v7 = v5 * v6;
    return v7;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = value(i);
    }
}
