// store_1_at_3: dst[3:4] = the sources one after another.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> dst: array<f32>;
@group(0) @binding(1) var<storage, read> src0: array<f32>;

const N: u32 = 1u;
const ROW: u32 = 1u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        if (i < 1u) {
            dst[3u + i] = src0[i];
        }
    }
}
