// unary_rsqrt_70001: y = inverseSqrt(x).
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

const N: u32 = 70001u;
const ROW: u32 = 274u; // workgroups along x of the dispatch

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        let x = src[i];
        y[i] = inverseSqrt(x);
    }
}
