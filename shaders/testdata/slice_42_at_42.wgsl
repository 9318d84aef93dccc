// slice_42_at_42: y[i] = x[42 + i].
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;

const N: u32 = 42u;
const ROW: u32 = 1u; // workgroups along x of the dispatch
const OFFSET: u32 = 42u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        y[i] = x[OFFSET + i];
    }
}
