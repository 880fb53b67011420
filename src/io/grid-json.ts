/**
 * A grid as JSON `{ "width": W, "height": H, "values": [...] }` (the layout of
 * vega-datasets' volcano.json), row-major, first row as north. Such files
 * carry no georeference: cells are placed on a local grid of `cellSize`
 * (default 1) with unknown CRS, and a warning says so.
 */
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { makeGeoref } from '../core/georef';
import type { Raster } from '../core/raster';
import { readInputText } from './files';
import { checkGridSize, MAX_TEXT_BYTES } from './limits';

export function parseGridJson(text: string, file: string, cellSize = 1): Raster & { warnings: string[] } {
  const fail = (problem: string, field: string) => new TerraError('INVALID_DATA', `${file}: ${field}: ${problem}`, { file, field });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${file}: not JSON (${(err as Error).message})`, { file, field: '(root)' });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw fail('expected an object with width, height, values', '(root)');
  const { width, height, values } = json as Record<string, unknown>;
  if (typeof width !== 'number' || typeof height !== 'number') throw fail('width and height must be numbers', typeof width !== 'number' ? 'width' : 'height');
  checkGridSize(file, width, height);
  if (!Array.isArray(values)) throw fail('must be an array of numbers', 'values');
  if (values.length !== width * height) throw fail(`has ${values.length} entries, expected ${width} x ${height} = ${width * height}`, 'values');
  const data = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) data[i] = NaN;
    else if (typeof v === 'number' && Number.isFinite(v)) data[i] = v;
    else throw fail(`entry ${i} (${JSON.stringify(v)}) is not a number`, 'values');
  }
  return {
    data,
    units: 'm',
    georef: makeGeoref({ nx: width, ny: height, x0: 0, y0: height * cellSize, dx: cellSize, dy: cellSize, crs: 'unknown' }),
    warnings: [`no georeference in a JSON grid: placed on a local grid of ${cellSize} x ${cellSize} cells, first row north, units assumed metres`],
  };
}

export async function readGridJson(path: string, cellSize?: number): Promise<Raster & { warnings: string[] }> {
  return parseGridJson(await readInputText(path, MAX_TEXT_BYTES), basename(path), cellSize);
}
