/**
 * Point inflows (../../solver.ts applyInflows): one invocation applies every
 * inflow in order (two may share a cell), as a split source after the step:
 * a positive discharge adds rate dt / A to the depth, a negative one takes up
 * to the water there. The volumes booked are the ones the f32 depth really
 * gained or lost, so the balance closes to round-off. fv refreshes the cell's
 * primitives (set A) and offers its wave-speed sum to the limiter; inertial
 * offers the depth. The maxima see the new depth.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';
import { VELOCITY_WGSL } from '../wgsl/fv/velocity';
import { MAXIMA_WGSL } from '../wgsl/maxima';

function inflows(scheme: 'fv' | 'inertial'): KernelDef {
  const fv = scheme === 'fv';
  const bindings: BindingDef[] = [
    { name: 'grid', kind: 'uniform', type: 'Grid' },
    { name: 'stagePass', kind: 'uniform', type: 'Pass' },
    { name: 'params', kind: 'read-only-storage', type: 'Params' },
    { name: 'statics', kind: 'read-only-storage', type: 'array<vec2<f32>>' },
    { name: 'state', kind: 'storage', type: 'array<vec4<f32>>' },
    { name: 'control', kind: 'storage', type: 'Control' },
    { name: 'maxima', kind: 'storage', type: 'array<vec4<f32>>' },
    { name: 'inflowCells', kind: 'read-only-storage', type: 'array<u32>' },
    { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
    ...(fv ? [{ name: 'prims', kind: 'storage', type: 'array<vec4<f32>>' } as const] : []),
  ];
  return {
    name: `${scheme}-inflows`,
    workgroupSize: [1, 1],
    bindings,
    code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${VELOCITY_WGSL}
${declareBindings(bindings)}
${MAXIMA_WGSL}

@compute @workgroup_size(1, 1)
fn main() {
  if (params.running == 0u) { return; }
  let dt = params.dt;
  let area = grid.area;
  let tol = grid.tol;
  var vin = 0.0;
  var vout = 0.0;
  var limiter = 0.0;
  for (var n = 0u; n < grid.nInflows; n++) {
    let k = inflowCells[n];
    let dv = params.data[n] * dt;
    var U = state[k];
    let hOld = U.x;
    if (dv >= 0.0) {
      U.x = hOld + dv / area;
      vin += (U.x - hOld) * area;
    } else {
      let removed = min(-dv, hOld * area);
      U.x = max(0.0, hOld - removed / area);
      vout += (hOld - U.x) * area;
    }
    ${
      fv
        ? `if (U.x <= tol) {
      U.y = 0.0;
      U.z = 0.0;
    }
    let vf = velocityFactor(U.x, tol, grid.eps4);
    let u = U.y * vf;
    let v = U.z * vf;
    let i = k % grid.nx;
    let j = k / grid.nx;
    prims[(j + 2u) * grid.pw + i + 2u] = vec4<f32>(U.x + statics[k].x, U.x, u, v);
    let c = sqrt(GRAVITY * U.x);
    limiter = max(limiter, (abs(u) + c) * grid.invDx + (abs(v) + c) * grid.invDy);`
        : `let vf = velocityFactor(U.x, tol, grid.eps4);
    limiter = max(limiter, U.x);`
    }
    state[k] = U;
    let qa = sqrt(U.y * U.y + U.z * U.z);
    trackMaxima(k, U.x, qa * vf, qa, params.time + dt);
  }
  control.inflowIn = vin;
  control.inflowOut = vout;
  partials[stagePass.partOff] = vec4<f32>(limiter, 0.0, 0.0, 0.0);
}
`,
  };
}

export const FV_INFLOWS = inflows('fv');
export const INERTIAL_INFLOWS = inflows('inertial');
