/**
 * fv face fluxes of one SSP-RK2 stage: one invocation per (i, j) of an
 * (nx + 1) x (ny + 1) grid computes x-face (i, j) (j < ny) and y-face (i, j)
 * (i < nx). Each face reconstructs its two cells (../../fv/reconstruct.ts) and
 * takes the hydrostatic HLL flux (../../fv/riemann.ts), as the row passes of
 * ../../fv/sweep.ts do; the CPU's row buffers become whole-grid face arrays.
 * A face's flux is one number shared by both cells, so mass is conserved.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';
import { RECONSTRUCT_WGSL } from '../wgsl/fv/reconstruct';
import { RIEMANN_WGSL } from '../wgsl/fv/riemann';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'prims', kind: 'read-only-storage', type: 'array<vec4<f32>>' },
  { name: 'flux', kind: 'storage', type: 'array<vec4<f32>>' },
];

export const FV_FLUX: KernelDef = {
  name: 'fv-flux',
  workgroupSize: [16, 16],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${RECONSTRUCT_WGSL}
${RIEMANN_WGSL}
${declareBindings(bindings)}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  let i = id.x;
  let j = id.y;
  let nx = grid.nx;
  let ny = grid.ny;
  let pw = grid.pw;
  let tol = grid.tol;
  if (j < ny && i <= nx) {
    // x-face (i, j): left cell (i - 1, j), right cell (i, j); frame (eta, h, u, v)
    let pL = (j + 2u) * pw + i + 1u;
    let pR = pL + 1u;
    let L = reconstructCell(prims[pL - 1u], prims[pL], prims[pR], tol);
    let R = reconstructCell(prims[pL], prims[pR], prims[pR + 1u], tol);
    flux[j * (nx + 1u) + i] = hydrostaticHllFlux(L.plus, R.minus);
  }
  if (i < nx && j <= ny) {
    // y-face j (north face of row j): left = cell (i, j) to the south, right = cell (i, j - 1); minus = south
    let pL = (j + 2u) * pw + i + 2u;
    let pR = pL - pw;
    let L = reconstructCell(yFrame(prims[pL + pw]), yFrame(prims[pL]), yFrame(prims[pR]), tol);
    let R = reconstructCell(yFrame(prims[pL]), yFrame(prims[pR]), yFrame(prims[pR - pw]), tol);
    flux[grid.yOff + j * nx + i] = hydrostaticHllFlux(L.plus, R.minus);
  }
}
`,
};
