/**
 * Keeps the camera above the ground. The orbit controls know nothing of the
 * terrain: zoomed in on a big site and orbited low, or panned towards a
 * hill, the camera went under the surface and the view showed the terrain
 * from inside. After each controls update the camera is lifted, if need be,
 * to a clearance over the highest full-resolution ground around it, wide
 * and high enough that the near plane never cuts the surface there.
 * OrbitControls reads the camera's position afresh on its next update, so
 * the lift simply becomes a steeper view of the same target.
 */
import type { PerspectiveCamera } from 'three';
import type { CellFrame, TerrainGrid } from './terrain-grid';

/** Clearance and the ground's search radius, in near-plane distances: the near plane's corners reach about 1.3 of them. */
export const CLEARANCE_NEARS = 2;
/** At most this many DEM cells are read a side (a coarser stride beyond), so a frame never pays for a wide search. */
const MOST_CELLS_A_SIDE = 33;

/**
 * Highest drawn ground (world y with `exaggeration`) over the DEM cells
 * within `radius` of (x, z) in x and z, or null where none is (off the site,
 * or nodata only).
 */
export function highestGround(grid: TerrainGrid, frame: CellFrame, exaggeration: number, x: number, z: number, radius: number): number | null {
  const c0 = Math.max(0, Math.floor((x - radius - frame.x0) / frame.cellX));
  const c1 = Math.min(grid.cols - 1, Math.ceil((x + radius - frame.x0) / frame.cellX));
  const r0 = Math.max(0, Math.floor((z - radius - frame.z0) / frame.cellZ));
  const r1 = Math.min(grid.rows - 1, Math.ceil((z + radius - frame.z0) / frame.cellZ));
  if (c0 > c1 || r0 > r1) return null;
  const step = Math.max(1, Math.ceil(Math.max(c1 - c0, r1 - r0) / (MOST_CELLS_A_SIDE - 1)));
  let top = -Infinity;
  for (let r = r0; r <= r1; r = r < r1 ? Math.min(r + step, r1) : r1 + 1) {
    for (let c = c0; c <= c1; c = c < c1 ? Math.min(c + step, c1) : c1 + 1) {
      const h = grid.heights[r * grid.cols + c]!;
      if (h > top) top = h;
    }
  }
  return top > -Infinity ? (top - grid.min) * exaggeration : null;
}

/** Lifts the camera to its clearance over the ground below it; true when it moved. */
export function liftAboveGround(camera: PerspectiveCamera, grid: TerrainGrid, frame: CellFrame, exaggeration: number): boolean {
  const reach = CLEARANCE_NEARS * camera.near;
  const ground = highestGround(grid, frame, exaggeration, camera.position.x, camera.position.z, reach);
  if (ground === null || camera.position.y >= ground + reach) return false;
  camera.position.y = ground + reach;
  camera.updateMatrixWorld();
  return true;
}
