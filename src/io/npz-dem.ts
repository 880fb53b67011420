/**
 * A DEM stored as .npz: one 2D elevation array plus its georeference, either as
 * scalars (xmin, xmax, ymin, ymax, dx, dy; matplotlib's sample layout) or as 1D
 * cell-centre vectors (longitude, latitude), regular in degrees or, for
 * latitudes, in Mercator y (then georeferenced in EPSG:3857). With scalars,
 * row 0 is taken as the northern row; with vectors, rows and columns are
 * reordered north-first, west-first.
 */
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { flipGrid, georefFromAxes, normaliseLongitudes } from '../core/axis';
import { makeGeoref } from '../core/georef';
import type { Raster } from '../core/raster';
import { checkGridSize } from './limits';
import { readInputBytes } from './files';
import { parseNpz } from './npz';

export async function readNpzDem(path: string, arrayKey: string): Promise<Raster> {
  return parseNpzDem(await readInputBytes(path), basename(path), arrayKey);
}

export function parseNpzDem(bytes: Uint8Array, file: string, arrayKey: string): Raster {
  const arrays = parseNpz(bytes, file);
  const fail = (field: string, problem: string) =>
    new TerraError('INVALID_DATA', `${file}: ${field}: ${problem}`, { file, field });
  const grid = arrays.get(arrayKey);
  if (!grid) throw fail(arrayKey, `no such array (has ${[...arrays.keys()].join(', ')})`);
  if (grid.shape.length !== 2) throw fail(arrayKey, `expected a 2D array, got shape (${grid.shape.join(', ')})`);
  const [ny, nx] = grid.shape as [number, number];
  checkGridSize(file, nx, ny);

  const scalar = (key: string): number | undefined => {
    const a = arrays.get(key);
    return a && a.data.length === 1 ? a.data[0] : undefined;
  };
  const lon = arrays.get('longitude') ?? arrays.get('lon');
  const lat = arrays.get('latitude') ?? arrays.get('lat');
  if (lon && lat && lon.data.length === nx && lat.data.length === ny) {
    // Centre vectors: regular, or latitudes spaced like Mercator (EPSG:3857); either may run backwards.
    const fit = georefFromAxes(normaliseLongitudes(Float64Array.from(lon.data)), lat.data, 'EPSG:4326', true);
    if (!fit) throw fail('georeference', 'longitude/latitude are not evenly spaced (in degrees or in Mercator y)');
    flipGrid(grid.data, nx, ny, fit.flipX, fit.flipY);
    return { data: Float32Array.from(grid.data, (v) => (Number.isFinite(v) ? v : NaN)), units: 'm', georef: fit.georef };
  }
  const xmin = scalar('xmin');
  const ymin = scalar('ymin');
  const ymax = scalar('ymax');
  const sdx = scalar('dx');
  const sdy = scalar('dy');
  if ([xmin, ymin, ymax, sdx, sdy].some((v) => v === undefined || !Number.isFinite(v))) {
    throw fail('georeference', 'needs longitude/latitude vectors or xmin, ymin, ymax, dx, dy scalars');
  }
  const x0 = xmin!;
  const y0 = Math.max(ymin!, ymax!);
  const dx = Math.abs(sdx!);
  const dy = Math.abs(sdy!);
  if (!(dx > 0 && dy > 0)) throw fail('georeference', `cell size ${dx} x ${dy} is not positive`);
  const geographic = Math.abs(x0) <= 360 && Math.abs(y0) <= 90 && dx < 1 && dy < 1;
  const data = Float32Array.from(grid.data, (v) => (Number.isFinite(v) ? v : NaN));
  return {
    data,
    units: 'm',
    georef: makeGeoref({ nx, ny, x0, y0, dx, dy, crs: geographic ? 'EPSG:4326' : 'unknown' }),
  };
}
