/** A gridded field through time: one georeferenced frame per time step (rain, wind, pressure). */
import type { Georeference } from '../api/types';
import type { Raster } from './raster';

export interface FieldSeries {
  name: string;
  units: string;
  georef: Georeference;
  /** Epoch milliseconds (UTC) of each frame, increasing. */
  times: Float64Array;
  /** Row-major, row 0 north, NaN nodata; one per time. */
  frames: Float32Array[];
}

export function frameRaster(series: FieldSeries, index: number): Raster {
  const data = series.frames[index];
  if (!data) throw new RangeError(`frame ${index} out of range 0-${series.frames.length - 1}`);
  return { georef: series.georef, data, units: series.units };
}
