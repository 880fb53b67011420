/**
 * Inertial face pass (../../inertial/sweep.ts inertialFacePass, flows part):
 * one invocation per (i, j) of an (nx + 1) x (ny + 1) grid computes the new
 * flow of x-face (i, j) (j < ny) and of y-face (i, j) (i < nx) with
 * inertialFaceFlow; edge faces take the ghost surface of their side's kind
 * (wall: no flow; open: the falling surface; stage: the stage).
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';
import { OPEN_WGSL } from '../wgsl/boundaries/open';
import { STAGE_WGSL } from '../wgsl/boundaries/stage';
import { WALL_WGSL } from '../wgsl/boundaries/wall';
import { FACE_WGSL } from '../wgsl/inertial/face';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'state', kind: 'read-only-storage', type: 'array<vec4<f32>>' },
  { name: 'statics', kind: 'read-only-storage', type: 'array<vec2<f32>>' },
  { name: 'q', kind: 'read-only-storage', type: 'array<f32>' },
  { name: 'qNew', kind: 'storage', type: 'array<f32>' },
];

export const INERTIAL_FACE: KernelDef = {
  name: 'inertial-face',
  workgroupSize: [16, 16],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${WALL_WGSL}
${OPEN_WGSL}
${STAGE_WGSL}
${FACE_WGSL}
${declareBindings(bindings)}

/**
 * Ghost water depth beyond an edge cell (bed = the edge cell's) for a non-wall
 * kind: the CPU's ghost surface minus the bed (see ../wgsl/inertial/face.ts).
 */
fn ghostDepth(kind: u32, edge: u32, inner: u32, stage: f32) -> f32 {
  let zEdge = statics[edge].x;
  if (kind == BOUNDARY_OPEN) { return openGhostDepth(state[edge].x, zEdge, state[inner].x, statics[inner].x, grid.tol); }
  return stageGhostDepth(stage, zEdge);
}

fn xFace(i: u32, j: u32, gx: f32, hdt: f32) -> f32 {
  let nx = grid.nx;
  let f = j * (nx + 1u) + i;
  let dt = params.dt;
  let th = INERTIAL_THETA;
  let tol = grid.tol;
  if (i == 0u) {
    // west edge: ghost on the left of cell 0
    let kind = grid.kinds[WEST];
    if (kind == BOUNDARY_WALL) { return wallFlow(); }
    let k0 = j * nx;
    let z0 = statics[k0].x;
    let hg = ghostDepth(kind, k0, select(k0, k0 + 1u, nx > 1u), params.stage[WEST]);
    return inertialFaceFlow(q[f], q[f], q[f + 1u], hg, state[k0].x, z0, z0, gx, dt * statics[k0].y, th, tol);
  }
  if (i == nx) {
    // east edge: ghost on the right of cell nx - 1
    let kind = grid.kinds[EAST];
    if (kind == BOUNDARY_WALL) { return wallFlow(); }
    let kn = j * nx + nx - 1u;
    let zn = statics[kn].x;
    let hg = ghostDepth(kind, kn, select(kn, kn - 1u, nx > 1u), params.stage[EAST]);
    return inertialFaceFlow(q[f], q[f - 1u], q[f], state[kn].x, hg, zn, zn, gx, dt * statics[kn].y, th, tol);
  }
  let kR = j * nx + i;
  let kL = kR - 1u;
  let sL = statics[kL];
  let sR = statics[kR];
  return inertialFaceFlow(q[f], q[f - 1u], q[f + 1u], state[kL].x, state[kR].x, sL.x, sR.x, gx, hdt * (sL.y + sR.y), th, tol);
}

/** y-face fr (north face of row fr): flow positive north, from cell (i, fr) ("left") to (i, fr - 1). */
fn yFace(i: u32, fr: u32, gy: f32, hdt: f32) -> f32 {
  let nx = grid.nx;
  let ny = grid.ny;
  let o = grid.yOff;
  let f = fr * nx + i;
  let dt = params.dt;
  let th = INERTIAL_THETA;
  let tol = grid.tol;
  if (fr == 0u) {
    let kind = grid.kinds[NORTH];
    if (kind == BOUNDARY_WALL) { return wallFlow(); }
    let z0 = statics[i].x;
    let hg = ghostDepth(kind, i, select(i, i + nx, ny > 1u), params.stage[NORTH]);
    return inertialFaceFlow(q[o + i], q[o + i + nx], q[o + i], state[i].x, hg, z0, z0, gy, dt * statics[i].y, th, tol);
  }
  if (fr == ny) {
    let kind = grid.kinds[SOUTH];
    if (kind == BOUNDARY_WALL) { return wallFlow(); }
    let kc = f - nx;
    let zc = statics[kc].x;
    let hg = ghostDepth(kind, kc, select(kc, kc - nx, ny > 1u), params.stage[SOUTH]);
    return inertialFaceFlow(q[o + f], q[o + f], q[o + f - nx], hg, state[kc].x, zc, zc, gy, dt * statics[kc].y, th, tol);
  }
  let kS = f;
  let kN = kS - nx;
  let sS = statics[kS];
  let sN = statics[kN];
  return inertialFaceFlow(q[o + kS], q[o + kS + nx], q[o + kN], state[kS].x, state[kN].x, sS.x, sN.x,
                          gy, hdt * (sS.y + sN.y), th, tol);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  let i = id.x;
  let j = id.y;
  let dt = params.dt;
  let hdt = 0.5 * dt;
  if (j < grid.ny && i <= grid.nx) {
    qNew[j * (grid.nx + 1u) + i] = xFace(i, j, (GRAVITY * dt) / grid.dx, hdt);
  }
  if (i < grid.nx && j <= grid.ny) {
    qNew[grid.yOff + j * grid.nx + i] = yFace(i, j, (GRAVITY * dt) / grid.dy, hdt);
  }
}
`,
};
