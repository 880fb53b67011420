/**
 * Inertial positivity factors (../../inertial/sweep.ts limiterRow), one
 * invocation per cell: the share of its outgoing new face flows a cell can pay
 * for with the water it holds, outflowLimiter(h A, dt (dy out_x + dx out_y)).
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';
import { FACE_WGSL } from '../wgsl/inertial/face';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'state', kind: 'read-only-storage', type: 'array<vec4<f32>>' },
  { name: 'qNew', kind: 'read-only-storage', type: 'array<f32>' },
  { name: 'lim', kind: 'storage', type: 'array<f32>' },
];

export const INERTIAL_LIMITER: KernelDef = {
  name: 'inertial-limiter',
  workgroupSize: [16, 16],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${FACE_WGSL}
${declareBindings(bindings)}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  let i = id.x;
  let j = id.y;
  let nx = grid.nx;
  if (i >= nx || j >= grid.ny) { return; }
  let k = j * nx + i;
  let fx = j * (nx + 1u) + i;
  let w = qNew[fx];
  let e = qNew[fx + 1u];
  let n = qNew[grid.yOff + k];
  let s = qNew[grid.yOff + k + nx];
  let ax = params.dt * grid.dy;
  let ay = params.dt * grid.dx;
  let out = ax * (max(e, 0.0) - min(w, 0.0)) + ay * (max(n, 0.0) - min(s, 0.0));
  lim[k] = outflowLimiter(state[k].x * grid.area, out);
}
`,
};
