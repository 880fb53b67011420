/**
 * The step's clock on the GPU (advanceTo's fast path, no read-back per step),
 * one invocation, first in every step: dt = min(stable dt of the current
 * state, time left in the batch) with the CPU's rules (../../fv/stepper.ts
 * fvStableDt, ../../inertial/stepper.ts inertialStableDt, stages included),
 * bounded by the rain (../../solver.ts rainLimitedDt: the rain's largest rate
 * at mid-step; a field batch's from the table header), and this step's
 * forcing from the batch's table, linearly interpolated: the
 * stages at t + dt (fv) or t (inertial), rain and inflows at t + dt / 2 (as
 * ../../solver.ts). Once the batch's end is reached it switches the remaining
 * dispatched steps off (params.running = 0).
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { FORCING_FIXED, WGSL_STRUCTS } from '../layout';
import { CLOCK_WGSL, CONSTANTS_WGSL } from '../wgsl/common';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'params', kind: 'storage', type: 'Params' },
  { name: 'control', kind: 'storage', type: 'Control' },
  { name: 'forcing', kind: 'read-only-storage', type: 'Forcing' },
];

export const CLOCK: KernelDef = {
  name: 'clock',
  workgroupSize: [1, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${CLOCK_WGSL}
${declareBindings(bindings)}

/** Column col of the forcing table at tau seconds after the batch start. */
fn forcingAt(col: u32, tau: f32) -> f32 {
  let m = forcing.samples;
  let stride = forcing.stride;
  if (m <= 1u) { return forcing.data[col]; }
  let x = max(tau / forcing.interval, 0.0);
  let s = min(u32(floor(x)), m - 2u);
  let f = clamp(x - f32(s), 0.0, 1.0);
  return forcing.data[s * stride + col] * (1.0 - f) + forcing.data[(s + 1u) * stride + col] * f;
}

@compute @workgroup_size(1, 1)
fn main() {
  if (control.done != 0u) {
    params.running = 0u;
    return;
  }
  let elapsed = control.elapsed.x + control.elapsed.y;
  let remaining = diffTime(control.span, control.elapsed);
  if (!(remaining > 0.0)) {
    control.done = 1u;
    params.running = 0u;
    return;
  }
  var stable = BIG;
  if (grid.isFv != 0u) {
    if (control.limiter > 0.0) { stable = grid.cfl * FV_POSITIVITY_COURANT / control.limiter; }
  } else {
    var hMax = control.limiter;
    for (var s = 0u; s < 4u; s++) {
      if (grid.kinds[s] == BOUNDARY_STAGE) { hMax = max(hMax, forcingAt(1u + s, elapsed) - grid.edgeMinBed[s]); }
    }
    if (hMax > grid.tol) { stable = grid.cfl * INERTIAL_ALPHA * grid.minD / sqrt(GRAVITY * hMax); }
  }
  var dt = min(stable, remaining);
  // the rain bound (../../solver.ts rainLimitedDt): with the rain's largest rate at mid-step
  var r = forcing.fieldMax;
  if (params.rainField == 0u) { r = forcingAt(0u, elapsed + 0.5 * dt); }
  if (r > 0.0) {
    let factor = select(4.0 * INERTIAL_ALPHA, 1.0, grid.isFv != 0u);
    let rainDt = grid.cfl * pow((factor * grid.minD) / (4.0 * sqrt(GRAVITY * r)), 2.0 / 3.0);
    dt = min(dt, rainDt);
  }
  if (dt >= remaining) {
    dt = remaining;
    control.done = 1u;
  }
  params.dt = dt;
  params.time = control.tBatch + elapsed;
  params.running = 1u;
  let tStage = select(elapsed, elapsed + dt, grid.isFv != 0u);
  params.stage = vec4<f32>(forcingAt(1u, tStage), forcingAt(2u, tStage), forcingAt(3u, tStage), forcingAt(4u, tStage));
  let tMid = elapsed + 0.5 * dt;
  params.rain = forcingAt(0u, tMid);
  for (var n = 0u; n < grid.nInflows; n++) {
    params.data[n] = forcingAt(${FORCING_FIXED}u + n, tMid);
  }
}
`,
};
