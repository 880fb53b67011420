/**
 * Resampling within one CRS: a new cell size over the same extent (nearest or
 * bilinear), and clipping to an extent on whole cells.
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { extentOf, makeGeoref, type Extent } from './georef';
import type { Raster } from './raster';
import { checkTargetSize } from './reproject';
import { samplerFor, type ResampleMethod } from './sample';

/** Resamples to cells of `dx` x `dy` (CRS units) covering the same extent; the origin (north-west corner) is kept. */
export function resample(raster: Raster, dx: number, dy = dx, method: ResampleMethod = 'bilinear'): Raster {
  const g = raster.georef;
  const target = resampledGrid(g, dx, dy);
  const { nx, ny } = target;
  const sample = samplerFor(method);
  const out = new Float32Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    const fr = ((r + 0.5) * dy) / g.dy - 0.5;
    for (let c = 0; c < nx; c++) out[r * nx + c] = sample(raster.data, g.nx, g.ny, ((c + 0.5) * dx) / g.dx - 0.5, fr);
  }
  return { data: out, units: raster.units, georef: target };
}

/** The grid {@link resample} produces: same origin, cells of dx x dy, the extent rounded to whole cells. */
export function resampledGrid(g: Georeference, dx: number, dy = dx): Georeference {
  if (!(dx > 0 && dy > 0) || !Number.isFinite(dx) || !Number.isFinite(dy)) {
    throw new TerraError('INVALID_PARAMS', `cell size must be positive, got ${dx} x ${dy}`, { field: 'cellSize' });
  }
  const nx = Math.max(1, Math.round((g.nx * g.dx) / dx));
  const ny = Math.max(1, Math.round((g.ny * g.dy) / dy));
  checkTargetSize(nx, ny);
  return makeGeoref({ nx, ny, x0: g.x0, y0: g.y0, dx, dy, crs: g.crs });
}

/** The cells of `raster` that overlap `extent` (partly covered cells included). */
export function clip(raster: Raster, extent: Extent): Raster {
  const g = raster.georef;
  const e = extentOf(g);
  if (!(extent.xmax > extent.xmin && extent.ymax > extent.ymin)) {
    throw new TerraError('INVALID_PARAMS', `extent must have xmax > xmin and ymax > ymin, got ${JSON.stringify(extent)}`, { field: 'extent' });
  }
  const c0 = Math.max(0, Math.floor((extent.xmin - g.x0) / g.dx + 1e-9));
  const c1 = Math.min(g.nx, Math.ceil((extent.xmax - g.x0) / g.dx - 1e-9));
  const r0 = Math.max(0, Math.floor((g.y0 - extent.ymax) / g.dy + 1e-9));
  const r1 = Math.min(g.ny, Math.ceil((g.y0 - extent.ymin) / g.dy - 1e-9));
  if (c1 <= c0 || r1 <= r0) {
    throw new TerraError(
      'INVALID_PARAMS',
      `extent x ${extent.xmin}..${extent.xmax}, y ${extent.ymin}..${extent.ymax} does not overlap the grid (x ${e.xmin}..${e.xmax}, y ${e.ymin}..${e.ymax})`,
      { field: 'extent' },
    );
  }
  const nx = c1 - c0;
  const ny = r1 - r0;
  const data = new Float32Array(nx * ny);
  for (let r = 0; r < ny; r++) data.set(raster.data.subarray((r0 + r) * g.nx + c0, (r0 + r) * g.nx + c1), r * nx);
  return {
    data,
    units: raster.units,
    georef: makeGeoref({ nx, ny, x0: g.x0 + c0 * g.dx, y0: g.y0 - r0 * g.dy, dx: g.dx, dy: g.dy, crs: g.crs }),
  };
}
