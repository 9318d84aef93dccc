// binary_sub_1000: y = a - b.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const N: u32 = 1000u;
const ROW: u32 = 4u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = a[i] - b[i];
    }
}
