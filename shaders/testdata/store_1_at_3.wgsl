// store_1_at_3: y[3 + i] = the inputs' elements one after another.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x0: array<f32>;

const N: u32 = 1u;
const ROW: u32 = 1u; // workgroups along x of the dispatch
const BASE: u32 = 3u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        {
            y[BASE + i] = x0[i - 0u];
        }
    }
}
