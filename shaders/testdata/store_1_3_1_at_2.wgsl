// store_1_3_1_at_2: y[2 + i] = the inputs' elements one after another.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x0: array<f32>;
@group(0) @binding(2) var<storage, read> x1: array<f32>;
@group(0) @binding(3) var<storage, read> x2: array<f32>;

const N: u32 = 5u;
const ROW: u32 = 1u; // workgroups along x of the dispatch
const BASE: u32 = 2u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        if (i < 1u) {
            y[BASE + i] = x0[i - 0u];
        } else if (i < 4u) {
            y[BASE + i] = x1[i - 1u];
        } else {
            y[BASE + i] = x2[i - 4u];
        }
    }
}
