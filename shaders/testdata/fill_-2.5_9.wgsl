// fill_-2.5_9: y = -2.5.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;

const N: u32 = 9u;
const ROW: u32 = 1u; // workgroups along x of the dispatch
const VALUE: f32 = -2.5;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = VALUE;
    }
}
