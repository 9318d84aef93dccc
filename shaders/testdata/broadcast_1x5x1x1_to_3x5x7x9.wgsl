// broadcast_1x5x1x1_to_3x5x7x9: y[3 5 7 9] = x[1 5 1 1] repeated along its dimensions of size 1.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

const N: u32 = 945u;
const ROW: u32 = 4u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = x[((i / 63u) % 5u)];
    }
}
