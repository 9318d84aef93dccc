// broadcast_64x1x1x1_to_64x3x64x64: y[64 3 64 64] = x[64 1 1 1] repeated along its dimensions of size 1.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

const N: u32 = 786432u;
const ROW: u32 = 3072u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = x[(i / 12288u)];
    }
}
