/**
 * Inertial update pass (../../inertial/sweep.ts inertialUpdatePass), one
 * invocation per strip of STRIP_ROWS cells down a column, cell by cell: each face's new flow scaled by the positivity factor of
 * the cell it leaves; depth += dt (flux divergence + rain), clipped (booked);
 * the limited flows stored as the current ones (each cell stores its east and
 * north faces, the west column its west edge, the south row its south edge);
 * h u, h v as face averages. Per strip it leaves (max depth, clipped depth,
 * bad flag) in partials, and it updates the maxima.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { STRIP_ROWS, WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL, REDUCE_WGSL } from '../wgsl/common';
import { VELOCITY_WGSL } from '../wgsl/fv/velocity';
import { MAXIMA_WGSL } from '../wgsl/maxima';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'stagePass', kind: 'uniform', type: 'Pass' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'state', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'q', kind: 'storage', type: 'array<f32>' },
  { name: 'qNew', kind: 'read-only-storage', type: 'array<f32>' },
  { name: 'lim', kind: 'read-only-storage', type: 'array<f32>' },
  { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'maxima', kind: 'storage', type: 'array<vec4<f32>>' },
];

export const INERTIAL_UPDATE: KernelDef = {
  name: 'inertial-update',
  workgroupSize: [64, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${REDUCE_WGSL}
${VELOCITY_WGSL}
${declareBindings(bindings)}
${MAXIMA_WGSL}

fn rainAt(k: u32) -> f32 {
  if (params.rainField != 0u) { return params.data[grid.rainOff + k]; }
  return params.rain;
}

/** Updates cell (i, j); returns (depth, clipped depth, bad, 0). */
fn updateCell(i: u32, j: u32) -> vec4<f32> {
  let nx = grid.nx;
  let ny = grid.ny;
  let o = grid.yOff;
  let dt = params.dt;
  let k = j * nx + i;
  let fx = j * (nx + 1u) + i;
  let lk = lim[k];
  let w = qNew[fx];
  let e = qNew[fx + 1u];
  let n = qNew[o + k];
  let s = qNew[o + k + nx];
  var fw = w * lk;
  if (w > 0.0) { fw = select(w, w * lim[k - 1u], i > 0u); }
  var fe = e * lk;
  if (!(e > 0.0)) { fe = select(e, e * lim[k + 1u], i < nx - 1u); }
  var fN = n * lk;
  if (!(n > 0.0)) { fN = select(n, n * lim[k - nx], j > 0u); }
  var fs = s * lk;
  if (s > 0.0) { fs = select(s, s * lim[k + nx], j < ny - 1u); }
  let h0 = state[k].x;
  var hn = h0 + dt * ((fw - fe) * grid.invDx + (fs - fN) * grid.invDy + rainAt(k));
  var clipped = 0.0;
  let bad = select(0.0, 1.0, isBad(hn));
  if (!(hn >= 0.0) && bad == 0.0) {
    clipped = -hn;
    hn = 0.0;
  }
  let hu = 0.5 * (fw + fe);
  let hv = 0.5 * (fN + fs);
  state[k] = vec4<f32>(hn, hu, hv, 0.0);
  q[fx + 1u] = fe;
  q[o + k] = fN;
  if (i == 0u) { q[fx] = fw; }
  if (j == ny - 1u) { q[o + k + nx] = fs; }
  if (stagePass.trackMaxima != 0u) {
    let vf = velocityFactor(hn, grid.tol, grid.eps4);
    let qa = sqrt(hu * hu + hv * hv);
    trackMaxima(k, hn, qa * vf, qa, params.time + dt);
  }
  return vec4<f32>(hn, clipped, bad, 0.0);
}

@compute @workgroup_size(64, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  let i = id.x;
  if (i >= grid.nx) { return; }
  var acc = vec4<f32>(0.0);
  for (var r = 0u; r < ${STRIP_ROWS}u; r++) {
    let j = id.y * ${STRIP_ROWS}u + r;
    if (j < grid.ny) { acc = combine(acc, updateCell(i, j)); }
  }
  partials[stagePass.partOff + id.y * grid.nx + i] = acc;
}
`,
};
