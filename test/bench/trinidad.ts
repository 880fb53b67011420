/**
 * The Trinidad grid for `npm run bench`: the 3-arc-second Trinidad (Colorado)
 * DEM (NetCDF-3, feet, geographic), read with the project's reader and made a
 * metric DEM the way an import does (src/data/import.ts): feet -> metres, then
 * planMetricGrid (UTM zone of the centre, about the native cell size:
 * 2159 x 1352 cells of 82.5 m, 2.9 M cells), interior holes filled. The
 * reprojected footprint leaves thin nodata slivers along the edges (about
 * 1 %); they get the lowest bed, so the grid is complete.
 */
import { fileURLToPath } from 'node:url';
import { conversion, parseUnits, PROJECT_UNITS } from '../../src/core/units';
import { fillRasterHoles } from '../../src/data/gapfill';
import { planMetricGrid } from '../../src/data/metric-grid';
import { readDataset } from '../../src/io/open';
import type { FloodBenchGrid } from '../../src/physics/flood/bench';

export const TRINIDAD_FILE = fileURLToPath(new URL('../../../shared/data/terrain/trinidad_colorado_3arcsec_feet.nc', import.meta.url));

export interface TrinidadGrid extends FloodBenchGrid {
  /** Cells that were nodata after the reprojection (given the lowest bed). */
  filledCells: number;
}

/** The metric DEM as an import makes it: interior holes filled, NaN on the reprojection's edge slivers. */
export interface TrinidadDem {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
  elevation: Float32Array;
}

export async function loadTrinidadDem(file = TRINIDAD_FILE): Promise<TrinidadDem> {
  const d = await readDataset(file);
  if (d.kind !== 'grid') throw new Error(`${file}: not a grid`);
  const to = PROJECT_UNITS[parseUnits(d.units, { file: d.file, field: d.variable }).family];
  const { scale, offset } = conversion(d.units, to, { file: d.file, field: d.variable });
  const plan = planMetricGrid(d.geometry, d.file);
  const { nx, ny, dx, dy } = plan.target;
  const metric = plan.apply(d.frames[0]!.map((v) => v * scale + offset));
  return { nx, ny, dx, dy, elevation: fillRasterHoles(metric, nx, ny).data };
}

export async function loadTrinidadGrid(file = TRINIDAD_FILE): Promise<TrinidadGrid> {
  const { nx, ny, dx, dy, elevation } = await loadTrinidadDem(file);
  let low = Infinity;
  for (const v of elevation) if (v < low) low = v;
  const bed = new Float64Array(nx * ny);
  let filledCells = 0;
  for (let k = 0; k < bed.length; k++) {
    const v = elevation[k]!;
    if (v === v) bed[k] = v;
    else {
      bed[k] = low;
      filledCells++;
    }
  }
  return { nx, ny, dx, dy, bed, filledCells };
}
