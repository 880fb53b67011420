/**
 * A DEM stored as .npz: one 2D elevation array plus its georeference, either as
 * scalars (xmin, xmax, ymin, ymax, dx, dy; matplotlib's sample layout) or as 1D
 * coordinate vectors (longitude, latitude). Row 0 is taken as the northern row.
 */
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { metricCellSize, type Raster } from '../core/raster';
import { checkGridSize } from './limits';
import { readNpz } from './npz';
import type { NpyArray } from './npy';

export async function readNpzDem(path: string, arrayKey: string): Promise<Raster> {
  const file = basename(path);
  const arrays = await readNpz(path);
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
  let x0: number, y0: number, dx: number, dy: number;
  const lon = arrays.get('longitude') ?? arrays.get('lon');
  const lat = arrays.get('latitude') ?? arrays.get('lat');
  if (lon && lat && lon.data.length === nx && lat.data.length === ny) {
    ({ start: x0, step: dx } = centresToEdges(lon));
    dy = centresToEdges(lat).step;
    const first = lat.data[0]!;
    const last = lat.data[ny - 1]!;
    y0 = Math.max(first, last) + dy / 2;
    // Latitude may run south to north; flip so row 0 is north.
    if (first < last) flipRows(grid.data, nx, ny);
  } else {
    const xmin = scalar('xmin');
    const ymin = scalar('ymin');
    const ymax = scalar('ymax');
    const sdx = scalar('dx');
    const sdy = scalar('dy');
    if ([xmin, ymin, ymax, sdx, sdy].some((v) => v === undefined || !Number.isFinite(v))) {
      throw fail('georeference', 'needs longitude/latitude vectors or xmin, ymin, ymax, dx, dy scalars');
    }
    x0 = xmin!;
    y0 = Math.max(ymin!, ymax!);
    dx = Math.abs(sdx!);
    dy = Math.abs(sdy!);
  }
  if (!(dx > 0 && dy > 0)) throw fail('georeference', `cell size ${dx} x ${dy} is not positive`);
  const geographic = Math.abs(x0) <= 360 && Math.abs(y0) <= 90 && dx < 1 && dy < 1;
  const data = Float32Array.from(grid.data, (v) => (Number.isFinite(v) ? v : NaN));
  return {
    data,
    units: 'm',
    georef: {
      nx,
      ny,
      x0,
      y0,
      dx,
      dy,
      crs: geographic ? 'EPSG:4326' : 'unknown',
      ...metricCellSize(dx, dy, geographic, y0 - (dy * ny) / 2),
    },
  };
}

function centresToEdges(coord: NpyArray): { start: number; step: number } {
  const n = coord.data.length;
  const step = Math.abs(coord.data[n - 1]! - coord.data[0]!) / (n - 1);
  return { start: Math.min(coord.data[0]!, coord.data[n - 1]!) - step / 2, step };
}

function flipRows(data: Float64Array, nx: number, ny: number): void {
  const row = new Float64Array(nx);
  for (let r = 0; r < ny >> 1; r++) {
    const a = r * nx;
    const b = (ny - 1 - r) * nx;
    row.set(data.subarray(a, a + nx));
    data.copyWithin(a, b, b + nx);
    data.set(row, b);
  }
}
