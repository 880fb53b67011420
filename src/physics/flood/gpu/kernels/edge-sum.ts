/**
 * Boundary volumes of a pass, for the mass balance (the edge sums of
 * ../../fv/sweep.ts and ../../inertial/sweep.ts): EDGE_THREADS invocations
 * each sum a strided share of the edge faces' mass fluxes into in (entering)
 * and out (leaving), x-faces times dy and y-faces times dx, and leave
 * vec4(in, out, 0, 0) in partials (stage 1 at [0, EDGE_THREADS), fv stage 2
 * after it); finish adds them up times edgeWeight * dt. fv reads the stage's
 * face fluxes, inertial the limited face flows of the step.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { EDGE_THREADS, WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';

function edgeSum(scheme: 'fv' | 'inertial'): KernelDef {
  const bindings: BindingDef[] = [
    { name: 'grid', kind: 'uniform', type: 'Grid' },
    { name: 'stagePass', kind: 'uniform', type: 'Pass' },
    { name: 'params', kind: 'read-only-storage', type: 'Params' },
    { name: 'faces', kind: 'read-only-storage', type: scheme === 'fv' ? 'array<vec4<f32>>' : 'array<f32>' },
    { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
  ];
  return {
    name: `${scheme}-edge-sum`,
    workgroupSize: [EDGE_THREADS, 1],
    bindings,
    code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${declareBindings(bindings)}

const THREADS: u32 = ${EDGE_THREADS}u;

/** Mass flux (m^2/s, positive east / north) through face f. */
fn massFlux(f: u32) -> f32 {
  return faces[f]${scheme === 'fv' ? '.x' : ''};
}

@compute @workgroup_size(${EDGE_THREADS}, 1)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (params.running == 0u) { return; }
  let nx = grid.nx;
  let ny = grid.ny;
  var vin = 0.0;
  var vout = 0.0;
  for (var j = lid; j < ny; j += THREADS) {
    let fw = massFlux(j * (nx + 1u));        // eastward through the west edge: in
    let fe = massFlux(j * (nx + 1u) + nx);   // eastward through the east edge: out
    vin += (max(fw, 0.0) + max(-fe, 0.0)) * grid.dy;
    vout += (max(-fw, 0.0) + max(fe, 0.0)) * grid.dy;
  }
  for (var i = lid; i < nx; i += THREADS) {
    let fN = massFlux(grid.yOff + i);            // northward through the north edge: out
    let fS = massFlux(grid.yOff + ny * nx + i);  // northward through the south edge: in
    vin += (max(fS, 0.0) + max(-fN, 0.0)) * grid.dx;
    vout += (max(-fS, 0.0) + max(fN, 0.0)) * grid.dx;
  }
  partials[(stagePass.stage - 1u) * THREADS + lid] = vec4<f32>(vin, vout, 0.0, 0.0);
}
`,
  };
}

export const FV_EDGE_SUM = edgeSum('fv');
export const INERTIAL_EDGE_SUM = edgeSum('inertial');
