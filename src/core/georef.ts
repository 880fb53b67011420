/**
 * Georeference helpers: build a {@link Georeference} with its ground cell size,
 * give extents and cell centres. Cell (col, row) has its centre at
 * (x0 + (col + 0.5) dx, y0 - (row + 0.5) dy); row 0 is north.
 */
import type { Georeference } from '../api/types';
import { metricCellSize } from './raster';

export interface Extent {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

const WEB_MERCATOR_R = 6378137;

/** True for CRS names of longitude/latitude grids. */
export function isGeographicCrs(crs: string): boolean {
  return /^EPSG:(4326|4269|4258|4674|4283)$/.test(crs) || /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(crs);
}

/** A georeference with dxMetres/dyMetres derived from the CRS (degrees, Web Mercator or metres). */
export function makeGeoref(g: Omit<Georeference, 'dxMetres' | 'dyMetres'>): Georeference {
  const centreY = g.y0 - (g.ny * g.dy) / 2;
  if (g.crs === 'EPSG:3857') {
    const lat = 2 * Math.atan(Math.exp(centreY / WEB_MERCATOR_R)) - Math.PI / 2;
    const k = Math.cos(lat);
    return { ...g, dxMetres: g.dx * k, dyMetres: g.dy * k };
  }
  return { ...g, ...metricCellSize(g.dx, g.dy, isGeographicCrs(g.crs), centreY) };
}

export function extentOf(g: Georeference): Extent {
  return { xmin: g.x0, xmax: g.x0 + g.nx * g.dx, ymin: g.y0 - g.ny * g.dy, ymax: g.y0 };
}

export function cellCentreX(g: Georeference, col: number): number {
  return g.x0 + (col + 0.5) * g.dx;
}

export function cellCentreY(g: Georeference, row: number): number {
  return g.y0 - (row + 0.5) * g.dy;
}

/** Same grid geometry (sizes, origin and cell size to a relative 1e-9, CRS). */
export function sameGrid(a: Georeference, b: Georeference): boolean {
  const close = (p: number, q: number) => Math.abs(p - q) <= 1e-9 * Math.max(1, Math.abs(p), Math.abs(q));
  return a.nx === b.nx && a.ny === b.ny && a.crs === b.crs && close(a.x0, b.x0) && close(a.y0, b.y0) && close(a.dx, b.dx) && close(a.dy, b.dy);
}
