/**
 * fv cell update of one SSP-RK2 stage (../../fv/sweep.ts updateRow), one
 * invocation per strip of STRIP_ROWS cells down a column:
 *
 *   U~ = U_in + dt (flux divergence + centred bed source + rain), clip (booked), dry momentum 0,
 *   (momentum in the lake-at-rest-exact f32 form of ../wgsl/fv/riemann.ts),
 *   implicit friction (solved for |q|), U_out = a U0 + b U~, new primitives.
 *
 * Stage 1 (a = 0, b = 1) reads U0 / prims A and writes U1 / prims B; stage 2
 * (a = b = 1/2) reads U1 / prims B and U0 and writes U0 / prims A (in place:
 * each invocation reads its own U0 before writing it). Per strip it leaves
 * (max wave-speed sum (stage 2), clipped depth, bad flag) in partials;
 * stage 2 also updates the maxima.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { STRIP_ROWS, WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL, REDUCE_WGSL } from '../wgsl/common';
import { FRICTION_WGSL } from '../wgsl/fv/friction';
import { RECONSTRUCT_WGSL } from '../wgsl/fv/reconstruct';
import { VELOCITY_WGSL } from '../wgsl/fv/velocity';
import { MAXIMA_WGSL } from '../wgsl/maxima';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'stagePass', kind: 'uniform', type: 'Pass' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'statics', kind: 'read-only-storage', type: 'array<vec2<f32>>' },
  { name: 'primsIn', kind: 'read-only-storage', type: 'array<vec4<f32>>' },
  { name: 'primsOut', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'state', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'flux', kind: 'read-only-storage', type: 'array<vec4<f32>>' },
  { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'maxima', kind: 'storage', type: 'array<vec4<f32>>' },
];

export const FV_UPDATE: KernelDef = {
  name: 'fv-update',
  workgroupSize: [64, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${REDUCE_WGSL}
${RECONSTRUCT_WGSL}
${FRICTION_WGSL}
${VELOCITY_WGSL}
${declareBindings(bindings)}
${MAXIMA_WGSL}

/** Rain rate (m/s) of cell k this step. */
fn rainAt(k: u32) -> f32 {
  if (params.rainField != 0u) { return params.data[grid.rainOff + k]; }
  return params.rain;
}

/** Updates cell (i, j); returns (wave-speed sum, clipped depth, bad, 0). */
fn updateCell(i: u32, j: u32) -> vec4<f32> {
  let nx = grid.nx;
  let pw = grid.pw;
  let k = j * nx + i;
  let p = (j + 2u) * pw + i + 2u;
  let tol = grid.tol;
  let dt = params.dt;
  let c = primsIn[p];
  let hc = c.y;
  // this cell's surface half slopes (x: minus = west; y: minus = south)
  let seX = reconstructCell(primsIn[p - 1u], c, primsIn[p + 1u], tol).s.x;
  let seY = reconstructCell(yFrame(primsIn[p + pw]), yFrame(c), yFrame(primsIn[p - pw]), tol).s.x;
  let fw = flux[j * (nx + 1u) + i];        // west face: this cell is its right side
  let fe = flux[j * (nx + 1u) + i + 1u];   // east face: left side
  let gn = flux[grid.yOff + j * nx + i];        // north face: left (south) side
  let gs = flux[grid.yOff + (j + 1u) * nx + i]; // south face: right (north) side
  let dH = (fw.x - fe.x) * grid.invDx + (gs.x - gn.x) * grid.invDy;
  // Face fluxes are relative to the star pressures (../wgsl/fv/riemann.ts); the cell's face pressures
  // g/2 (h-^2 - h+^2) = -2 g h sh and the CPU's bed source g h 2 (sh - se) add up to -g h (2 se):
  let dHU = (fw.z - fe.y) * grid.invDx - grid.gDx * hc * (2.0 * seX) + (gs.w - gn.w) * grid.invDy;
  let dHV = (fw.w - fe.w) * grid.invDx + (gs.z - gn.y) * grid.invDy - grid.gDy * hc * (2.0 * seY);

  var hT = hc + dt * (dH + rainAt(k));
  let uIn = state[stagePass.inOff + k];
  var huT = uIn.y + dt * dHU;
  var hvT = uIn.z + dt * dHV;
  var clipped = 0.0;
  let bad = select(0.0, 1.0, isBad(hT));
  if (!(hT > tol)) {
    if (hT < 0.0) {
      clipped = -hT;
      hT = 0.0;
    }
    huT = 0.0;
    hvT = 0.0;
  } else {
    let gk = statics[k].y;
    if (gk > 0.0) {
      let r = frictionFactor(dt * gk, hT, huT, hvT);
      huT = huT * r;
      hvT = hvT * r;
    }
  }
  let u0 = state[k];
  let hN = stagePass.a * u0.x + stagePass.b * hT;
  var huN = stagePass.a * u0.y + stagePass.b * huT;
  var hvN = stagePass.a * u0.z + stagePass.b * hvT;
  if (hN <= tol) {
    huN = 0.0;
    hvN = 0.0;
  }
  state[stagePass.outOff + k] = vec4<f32>(hN, huN, hvN, 0.0);
  let vf = velocityFactor(hN, tol, grid.eps4);
  let uN = huN * vf;
  let vN = hvN * vf;
  primsOut[p] = vec4<f32>(hN + statics[k].x, hN, uN, vN);
  var speed = 0.0;
  if (stagePass.wantLimiter != 0u) {
    let cw = sqrt(GRAVITY * hN);
    speed = (abs(uN) + cw) * grid.invDx + (abs(vN) + cw) * grid.invDy;
  }
  if (stagePass.trackMaxima != 0u) {
    trackMaxima(k, hN, sqrt(uN * uN + vN * vN), sqrt(huN * huN + hvN * hvN), params.time + dt);
  }
  return vec4<f32>(speed, clipped, bad, 0.0);
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
