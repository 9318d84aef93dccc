// adam_0_0.9_1e-08_1001_37: the Adam updates of 2 parameters and their moments in place (engine.AdamOp).
// Elementwise: one invocation per element.
@group(0) @binding(0) var<storage, read_write> p0: array<f32>;
@group(0) @binding(1) var<storage, read_write> m0: array<f32>;
@group(0) @binding(2) var<storage, read_write> v0: array<f32>;
@group(0) @binding(3) var<storage, read> g0: array<f32>;
@group(0) @binding(4) var<storage, read_write> p1: array<f32>;
@group(0) @binding(5) var<storage, read_write> m1: array<f32>;
@group(0) @binding(6) var<storage, read_write> v1: array<f32>;
@group(0) @binding(7) var<storage, read> g1: array<f32>;
@group(0) @binding(8) var<uniform> rate: f32;

const N: u32 = 1001u;
const ROW: u32 = 4u; // workgroups along x of the dispatch
const B1: f32 = 0.0;
const C1: f32 = 1.0; // 1 - β1
const B2: f32 = 0.9;
const C2: f32 = 0.1; // 1 - β2
const EPS: f32 = 1e-08;
const N0: u32 = 1001u;
const N1: u32 = 37u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let i = (wg.x + wg.y * ROW) * 256u + lane;
    if (i < N) {
        if (i < N0) {
            let g = g0[i];
            let m = B1 * m0[i] + C1 * g;
            let v = B2 * v0[i] + C2 * g * g;
            m0[i] = m;
            v0[i] = v;
            p0[i] = p0[i] - rate * m / (sqrt(v) + EPS);
        }
        if (i < N1) {
            let g = g1[i];
            let m = B1 * m1[i] + C1 * g;
            let v = B2 * v1[i] + C2 * g * g;
            m1[i] = m;
            v1[i] = v;
            p1[i] = p1[i] - rate * m / (sqrt(v) + EPS);
        }
    }
}
