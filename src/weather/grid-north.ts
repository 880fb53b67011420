/**
 * Earth-relative winds (east, north) to the axes of a site grid. A projected
 * grid's y axis points to grid north, which differs from true north by the
 * meridian convergence (up to ~3 degrees at a UTM zone's edge); taken at the
 * site's centre, which holds across a site-sized grid.
 */
import type { Georeference } from '../api/types';
import { resolveCrs, transformBetween } from '../core/crs';

/** Angle (radians) from grid north to true north, clockwise; 0 for longitude/latitude and Mercator grids. */
export function convergenceAngle(g: Georeference): number {
  const crs = resolveCrs(g.crs, { field: 'crs' });
  if (crs.geographic || crs.webMercator) return 0;
  const t = transformBetween(crs, resolveCrs('EPSG:4326'));
  const cx = g.x0 + (g.nx * g.dx) / 2;
  const cy = g.y0 - (g.ny * g.dy) / 2;
  // True north at the centre, in grid coordinates: a step of 0.01 degree of latitude.
  const [lon, lat] = t.forward(cx, cy);
  const [nx, ny] = t.inverse(lon, lat + 0.01);
  return Math.atan2(nx - cx, ny - cy);
}

/** Rotates (east, north) components in place onto the grid axes. */
export function toGridAxes(u: Float32Array, v: Float32Array, angle: number): void {
  if (angle === 0) return;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let k = 0; k < u.length; k++) {
    const e = u[k]!;
    const n = v[k]!;
    u[k] = e * c + n * s;
    v[k] = -e * s + n * c;
  }
}
