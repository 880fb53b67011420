/** A georeferenced single-band raster: the grid model every reader returns. */
import type { Georeference, RasterStats } from '../api/types';
import { convertArray, parseUnits } from './units';

export interface Raster {
  georef: Georeference;
  /** Row-major, row 0 north; NaN marks nodata. */
  data: Float32Array;
  units: string;
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Cell size in metres. Geographic grids (degrees) use the local scale at the
 * grid's centre latitude: good for scale bars and stats, not a reprojection.
 */
export function metricCellSize(
  dx: number,
  dy: number,
  geographic: boolean,
  centreLatitude: number,
): { dxMetres: number; dyMetres: number } {
  if (!geographic) return { dxMetres: dx, dyMetres: dy };
  const metresPerDegree = (Math.PI / 180) * EARTH_RADIUS_M;
  return {
    dxMetres: dx * metresPerDegree * Math.cos((centreLatitude * Math.PI) / 180),
    dyMetres: dy * metresPerDegree,
  };
}

export function rasterStats(data: Float32Array): RasterStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let valid = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    valid++;
  }
  return {
    min: valid ? min : NaN,
    max: valid ? max : NaN,
    mean: valid ? sum / valid : NaN,
    nodataFraction: data.length ? 1 - valid / data.length : 1,
  };
}

/** A copy of `raster` in other units (feet to metres, K to degC, ...); unknown or incompatible units throw INVALID_DATA. */
export function convertRasterUnits(raster: Raster, to: string, file?: string): Raster {
  const data = convertArray(raster.data, raster.units, to, { file, field: 'units' });
  return { georef: raster.georef, data, units: parseUnits(to).symbol };
}
