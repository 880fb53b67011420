/**
 * fv halo filling: the two ghost layers of a padded primitive set (eta, h, u, v)
 * around one thread's band, one small function per boundary kind (wall.ts,
 * open.ts, stage.ts) applied in each edge's outward frame. A band fills the
 * west and east ghosts of its own rows, the first band the north ghost rows
 * and the last band the south ones, all from the band's own (fresh) rows.
 */
import { BOUNDARY_OPEN, BOUNDARY_STAGE, BOUNDARY_WALL, EAST, GRAVITY, NORTH, SOUTH, WEST } from '../constants';
import type { BaseContext } from '../context';
import type { Band } from '../grid';
import { P_STAGE } from '../state';
import { openGhost, openSurfaceDrop } from './open';
import { stageGhost } from './stage';
import { wallGhost } from './wall';

/** A padded primitive set. */
export interface Prims {
  eta: Float64Array;
  h: Float64Array;
  u: Float64Array;
  v: Float64Array;
}

const ghost = new Float64Array(4);

/** `drop`: for open edges, the surface drop towards the edge times the ghost layer. */
function applyKind(kind: number, eta: number, h: number, un: number, ut: number, stage: number, drop: number): void {
  if (kind === BOUNDARY_WALL) wallGhost(ghost, eta, h, un, ut);
  else if (kind === BOUNDARY_STAGE) stageGhost(ghost, eta, h, un, ut, stage, GRAVITY);
  else openGhost(ghost, eta, h, un, ut, drop);
}

/**
 * Fills the halo of `P` that belongs to `band`; returns the largest
 * (|u|+c)/dx + (|v|+c)/dy of the ghost cells written, for the time-step limit.
 */
export function fillFvHalo(ctx: BaseContext, band: Band, P: Prims): number {
  const { nx, ny, pw, dx, dy } = ctx.grid;
  const kinds = ctx.kinds;
  const params = ctx.control.params;
  const { eta, h, u, v } = P;
  const invDx = 1 / dx;
  const invDy = 1 / dy;
  const tol = ctx.tol;
  let speed = 0;
  const put = (p: number, gu: number, gv: number) => {
    eta[p] = ghost[0]!;
    h[p] = ghost[1]!;
    u[p] = gu;
    v[p] = gv;
    const c = Math.sqrt(GRAVITY * ghost[1]!);
    const s = (Math.abs(gu) + c) * invDx + (Math.abs(gv) + c) * invDy;
    if (s > speed) speed = s;
  };
  const kw = kinds[WEST]!;
  const ke = kinds[EAST]!;
  const sw = params[P_STAGE + WEST]!;
  const se = params[P_STAGE + EAST]!;
  for (let j = band.j0; j < band.j1; j++) {
    const row = (j + 2) * pw + 2; // padded index of cell (0, j)
    for (let layer = 1; layer <= 2; layer++) {
      // west: outward normal is -x
      let s = row + (kw === BOUNDARY_WALL ? Math.min(layer - 1, nx - 1) : 0);
      let d = kw === BOUNDARY_OPEN && nx > 1 ? layer * openSurfaceDrop(eta[row]!, eta[row + 1]!, h[row + 1]!, tol) : 0;
      applyKind(kw, eta[s]!, h[s]!, -u[s]!, v[s]!, sw, d);
      put(row - layer, -ghost[2]!, ghost[3]!);
      // east: outward normal is +x
      s = row + nx - 1 - (ke === BOUNDARY_WALL ? Math.min(layer - 1, nx - 1) : 0);
      const last = row + nx - 1;
      d = ke === BOUNDARY_OPEN && nx > 1 ? layer * openSurfaceDrop(eta[last]!, eta[last - 1]!, h[last - 1]!, tol) : 0;
      applyKind(ke, eta[s]!, h[s]!, u[s]!, v[s]!, se, d);
      put(row + nx - 1 + layer, ghost[2]!, ghost[3]!);
    }
  }
  if (band.j0 === 0) {
    const kn = kinds[NORTH]!;
    const sn = params[P_STAGE + NORTH]!;
    for (let layer = 1; layer <= 2; layer++) {
      const src = (2 + (kn === BOUNDARY_WALL ? Math.min(layer - 1, ny - 1) : 0)) * pw + 2;
      const dst = (2 - layer) * pw + 2;
      const edge = 2 * pw + 2;
      for (let i = 0; i < nx; i++) {
        const s = src + i;
        const e = edge + i;
        const d = kn === BOUNDARY_OPEN && ny > 1 ? layer * openSurfaceDrop(eta[e]!, eta[e + pw]!, h[e + pw]!, tol) : 0;
        // north: outward normal is +y, normal velocity v
        applyKind(kn, eta[s]!, h[s]!, v[s]!, u[s]!, sn, d);
        put(dst + i, ghost[3]!, ghost[2]!);
      }
    }
  }
  if (band.j1 === ny) {
    const ks = kinds[SOUTH]!;
    const ss = params[P_STAGE + SOUTH]!;
    for (let layer = 1; layer <= 2; layer++) {
      const src = (2 + ny - 1 - (ks === BOUNDARY_WALL ? Math.min(layer - 1, ny - 1) : 0)) * pw + 2;
      const dst = (2 + ny - 1 + layer) * pw + 2;
      const edge = (2 + ny - 1) * pw + 2;
      for (let i = 0; i < nx; i++) {
        const s = src + i;
        const e = edge + i;
        const d = ks === BOUNDARY_OPEN && ny > 1 ? layer * openSurfaceDrop(eta[e]!, eta[e - pw]!, h[e - pw]!, tol) : 0;
        // south: outward normal is -y
        applyKind(ks, eta[s]!, h[s]!, -v[s]!, u[s]!, ss, d);
        put(dst + i, ghost[3]!, -ghost[2]!);
      }
    }
  }
  return speed;
}
