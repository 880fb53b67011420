/**
 * Where a ray meets the full-resolution terrain, whatever level of detail is
 * on show: a walk through the DEM's quads along the ray (a 2D DDA over x and
 * z), testing in each the two triangles the stride-1 surface draws there,
 * front faces only, as a Raycaster on that surface would. The first quad
 * with a hit holds the nearest one, so the walk stops there. Picking rounds
 * the point to its cell (terrain-grid.ts worldToCell).
 */
import { Ray, Vector3 } from 'three';
import type { CellFrame, TerrainGrid } from './terrain-grid';

const a = new Vector3();
const b = new Vector3();
const c = new Vector3();
const d = new Vector3();
const hit = new Vector3();
const other = new Vector3();

/**
 * The nearest point where `ray` meets the surface drawn with `exaggeration`
 * (world units; y = 0 at the DEM's minimum), or null when it misses.
 */
export function intersectGround(grid: TerrainGrid, frame: CellFrame, exaggeration: number, ray: Ray): Vector3 | null {
  const { cols, rows, heights, min } = grid;
  if (cols < 2 || rows < 2) return null;
  const o = ray.origin;
  const dir = ray.direction;
  // Clip the ray to the surface's box.
  const top = (grid.max - min) * exaggeration;
  let t0 = 0;
  let t1 = Infinity;
  const slab = (origin: number, direction: number, lo: number, hi: number): boolean => {
    if (Math.abs(direction) < 1e-12) return origin >= lo && origin <= hi;
    let ta = (lo - origin) / direction;
    let tb = (hi - origin) / direction;
    if (ta > tb) [ta, tb] = [tb, ta];
    t0 = Math.max(t0, ta);
    t1 = Math.min(t1, tb);
    return t0 <= t1;
  };
  const xMax = frame.x0 + (cols - 1) * frame.cellX;
  const zMax = frame.z0 + (rows - 1) * frame.cellZ;
  const pad = 1e-6 * Math.max(xMax - frame.x0, zMax - frame.z0, top, 1);
  if (!slab(o.x, dir.x, frame.x0 - pad, xMax + pad) || !slab(o.z, dir.z, frame.z0 - pad, zMax + pad) || !slab(o.y, dir.y, -pad, top + pad)) {
    return null;
  }

  // Grid coordinates (in cells) along the ray, from where it enters the box.
  const u0 = (o.x + t0 * dir.x - frame.x0) / frame.cellX;
  const w0 = (o.z + t0 * dir.z - frame.z0) / frame.cellZ;
  const du = dir.x / frame.cellX;
  const dw = dir.z / frame.cellZ;
  let i = Math.min(cols - 2, Math.max(0, Math.floor(u0)));
  let j = Math.min(rows - 2, Math.max(0, Math.floor(w0)));
  const stepI = du > 0 ? 1 : -1;
  const stepJ = dw > 0 ? 1 : -1;
  // Ray parameter at the next vertical / horizontal grid line, and between lines.
  const tDeltaU = du !== 0 ? Math.abs(1 / du) : Infinity;
  const tDeltaW = dw !== 0 ? Math.abs(1 / dw) : Infinity;
  let tNextU = du !== 0 ? t0 + ((du > 0 ? i + 1 : i) - u0) / du : Infinity;
  let tNextW = dw !== 0 ? t0 + ((dw > 0 ? j + 1 : j) - w0) / dw : Infinity;

  const vertex = (col: number, row: number, out: Vector3): boolean => {
    const h = heights[row * cols + col]!;
    out.set(frame.x0 + col * frame.cellX, (h - min) * exaggeration, frame.z0 + row * frame.cellZ);
    return h === h;
  };
  for (;;) {
    const okA = vertex(i, j, a);
    const okB = vertex(i + 1, j, b);
    const okC = vertex(i, j + 1, c);
    const okD = vertex(i + 1, j + 1, d);
    let best: number | null = null;
    // The quad's triangles as the surface draws them: (a, c, b) and (b, c, d), counter-clockwise from above.
    if (okA && okB && okC && ray.intersectTriangle(a, c, b, true, hit)) best = hit.distanceToSquared(o);
    if (okB && okC && okD && ray.intersectTriangle(b, c, d, true, other)) {
      const dist = other.distanceToSquared(o);
      if (best === null || dist < best) {
        hit.copy(other);
        best = dist;
      }
    }
    if (best !== null) return hit.clone();
    // Step to the next quad the ray crosses, until it leaves the box.
    if (tNextU < tNextW) {
      if (tNextU > t1) return null;
      i += stepI;
      tNextU += tDeltaU;
    } else {
      if (tNextW > t1) return null;
      j += stepJ;
      tNextW += tDeltaW;
    }
    if (i < 0 || j < 0 || i > cols - 2 || j > rows - 2) return null;
  }
}
