// store_1_3_1_at_2: dst[2:7] = the sources one after another.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> dst: array<f32>;
@group(0) @binding(1) var<storage, read> src0: array<f32>;
@group(0) @binding(2) var<storage, read> src1: array<f32>;
@group(0) @binding(3) var<storage, read> src2: array<f32>;

const N: u32 = 3u;
const ROW: u32 = 1u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        if (i < 1u) {
            dst[2u + i] = src0[i];
        }
        if (i < 3u) {
            dst[3u + i] = src1[i];
        }
        if (i < 1u) {
            dst[6u + i] = src2[i];
        }
    }
}
