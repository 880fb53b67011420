/**
 * fv halo: the two ghost layers of a padded primitive set
 * (../../boundaries/fv-halo.ts), one invocation per ghost cell: west and east
 * for rows 0..ny-1, north and south for columns 0..nx-1 (corners are never
 * read), each from the interior through its side's kind (wall / open / stage)
 * in the edge's outward frame. Reads only interior cells, writes only ghosts.
 * Each ghost leaves its wave-speed sum in partials when the pass wants the
 * limiter (stage 2 and the refill after point inflows), else 0.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { CONSTANTS_WGSL } from '../wgsl/common';
import { OPEN_WGSL } from '../wgsl/boundaries/open';
import { STAGE_WGSL } from '../wgsl/boundaries/stage';
import { WALL_WGSL } from '../wgsl/boundaries/wall';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'stagePass', kind: 'uniform', type: 'Pass' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'prims', kind: 'storage', type: 'array<vec4<f32>>' },
  { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
];

/** Ghost cells of a grid: two layers on each side, no corners. */
export function haloCells(nx: number, ny: number): number {
  return 4 * (nx + ny);
}

export const FV_HALO: KernelDef = {
  name: 'fv-halo',
  workgroupSize: [64, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${WALL_WGSL}
${OPEN_WGSL}
${STAGE_WGSL}
${declareBindings(bindings)}

/** Ghost in the outward frame (eta, h, un, ut); drop: the open edge's surface drop times the layer. */
fn applyKind(kind: u32, q: vec4<f32>, un: f32, ut: f32, stage: f32, drop: f32) -> vec4<f32> {
  if (kind == BOUNDARY_WALL) { return wallGhost(q.x, q.y, un, ut); }
  if (kind == BOUNDARY_STAGE) { return stageGhost(q.x, q.y, un, ut, stage); }
  return openGhost(q.x, q.y, un, ut, drop);
}

/** Writes ghost cell dst = (eta, h, u, v); returns its wave-speed sum. */
fn put(dst: u32, g: vec4<f32>, u: f32, v: f32) -> f32 {
  prims[dst] = vec4<f32>(g.x, g.y, u, v);
  let c = sqrt(GRAVITY * g.y);
  return (abs(u) + c) * grid.invDx + (abs(v) + c) * grid.invDy;
}

fn ghostCell(t: u32) -> f32 {
  let nx = grid.nx;
  let ny = grid.ny;
  let pw = grid.pw;
  let tol = grid.tol;
  if (t < 4u * ny) {
    let side = select(EAST, WEST, t < 2u * ny);
    let r = t % (2u * ny);
    let layer = r / ny + 1u;
    let j = r % ny;
    let row = (j + 2u) * pw + 2u;      // padded index of cell (0, j)
    let kind = grid.kinds[side];
    let back = select(0u, min(layer - 1u, nx - 1u), kind == BOUNDARY_WALL);
    let fl = f32(layer);
    if (side == WEST) {
      // outward normal -x
      let s = prims[row + back];
      var d = 0.0;
      if (kind == BOUNDARY_OPEN && nx > 1u) { d = fl * openSurfaceDrop(prims[row].x, prims[row + 1u].x, prims[row + 1u].y, tol); }
      let g = applyKind(kind, s, -s.z, s.w, params.stage[WEST], d);
      return put(row - layer, g, -g.z, g.w);
    }
    // east: outward normal +x
    let last = row + nx - 1u;
    let s = prims[last - back];
    var d = 0.0;
    if (kind == BOUNDARY_OPEN && nx > 1u) { d = fl * openSurfaceDrop(prims[last].x, prims[last - 1u].x, prims[last - 1u].y, tol); }
    let g = applyKind(kind, s, s.z, s.w, params.stage[EAST], d);
    return put(last + layer, g, g.z, g.w);
  }
  let r0 = t - 4u * ny;
  let side = select(SOUTH, NORTH, r0 < 2u * nx);
  let r = r0 % (2u * nx);
  let layer = r / nx + 1u;
  let i = r % nx;
  let kind = grid.kinds[side];
  let back = select(0u, min(layer - 1u, ny - 1u), kind == BOUNDARY_WALL);
  let fl = f32(layer);
  if (side == NORTH) {
    // outward normal +y: un = v
    let e = 2u * pw + 2u + i;
    let s = prims[e + back * pw];
    var d = 0.0;
    if (kind == BOUNDARY_OPEN && ny > 1u) { d = fl * openSurfaceDrop(prims[e].x, prims[e + pw].x, prims[e + pw].y, tol); }
    let g = applyKind(kind, s, s.w, s.z, params.stage[NORTH], d);
    return put(e - layer * pw, g, g.w, g.z);
  }
  // south: outward normal -y
  let e = (ny + 1u) * pw + 2u + i;
  let s = prims[e - back * pw];
  var d = 0.0;
  if (kind == BOUNDARY_OPEN && ny > 1u) { d = fl * openSurfaceDrop(prims[e].x, prims[e - pw].x, prims[e - pw].y, tol); }
  let g = applyKind(kind, s, -s.w, s.z, params.stage[SOUTH], d);
  return put(e + layer * pw, g, g.w, -g.z);
}

@compute @workgroup_size(64, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  if (id.x >= 4u * (grid.nx + grid.ny)) { return; }
  var speed = ghostCell(id.x);
  if (stagePass.wantLimiter == 0u) { speed = 0.0; }
  partials[stagePass.partOff + id.x] = vec4<f32>(speed, 0.0, 0.0, 0.0);
}
`,
};
