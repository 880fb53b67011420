/**
 * Is a data set usable as terrain? One grid of elevations in a length unit.
 * Both `data.inspect` (as terrain) and an import as terrain ask before
 * anything is written, so a weather CSV or a rain series offered as terrain
 * gets a specific error naming the file, the field and the problem.
 */
import { TerraError } from '../api/errors';
import { findUnits } from '../core/units';
import { FORMAT_NAMES, type Dataset } from '../io/open';

const TERRAIN_FORMATS = 'a GeoTIFF, ESRI ASCII grid, NetCDF-3, .npz/.npy or JSON grid of elevations';

/** Throws INVALID_DATA when `d` cannot be imported as terrain. Missing units are left to the import (it asks for them). */
export function assertTerrain(d: Dataset): void {
  if (d.kind !== 'grid') {
    throw new TerraError('INVALID_DATA', `${d.file}: a ${FORMAT_NAMES[d.format]}, not a terrain grid; terrain comes from ${TERRAIN_FORMATS}`, {
      file: d.path,
      field: 'format',
      problem: 'not a grid',
    });
  }
  if (d.frames.length > 1) {
    throw new TerraError('INVALID_DATA', `${d.file}: "${d.variable}" has ${d.frames.length} time steps; terrain is a single grid of elevations`, {
      file: d.path,
      field: d.variable,
      problem: 'time series',
    });
  }
  const info = d.units ? findUnits(d.units) : undefined;
  if (info && info.family !== 'length') {
    throw new TerraError(
      'INVALID_DATA',
      `${d.file}: "${d.variable}" is in ${d.units} (${info.family}), not a length; terrain elevations are in m or ft`,
      { file: d.path, field: d.variable, problem: 'units' },
    );
  }
}
