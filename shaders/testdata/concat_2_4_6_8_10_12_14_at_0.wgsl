// concat_2_4_6_8_10_12_14_at_0: y[0 + i] = the inputs' elements one after another.
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x0: array<f32>;
@group(0) @binding(2) var<storage, read> x1: array<f32>;
@group(0) @binding(3) var<storage, read> x2: array<f32>;
@group(0) @binding(4) var<storage, read> x3: array<f32>;
@group(0) @binding(5) var<storage, read> x4: array<f32>;
@group(0) @binding(6) var<storage, read> x5: array<f32>;
@group(0) @binding(7) var<storage, read> x6: array<f32>;

const N: u32 = 56u;
const ROW: u32 = 1u; // workgroups along x of the dispatch
const BASE: u32 = 0u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        if (i < 2u) {
            y[BASE + i] = x0[i - 0u];
        } else if (i < 6u) {
            y[BASE + i] = x1[i - 2u];
        } else if (i < 12u) {
            y[BASE + i] = x2[i - 6u];
        } else if (i < 20u) {
            y[BASE + i] = x3[i - 12u];
        } else if (i < 30u) {
            y[BASE + i] = x4[i - 20u];
        } else if (i < 42u) {
            y[BASE + i] = x5[i - 30u];
        } else {
            y[BASE + i] = x6[i - 42u];
        }
    }
}
