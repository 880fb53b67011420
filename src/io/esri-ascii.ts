/**
 * ESRI ASCII grid (.asc) reader and writer. Header keys are case-insensitive;
 * both *corner and *center origins are accepted; nodata cells become NaN.
 * Errors name the file, the header key or the line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { makeGeoref } from '../core/georef';
import type { Raster } from '../core/raster';
import { readInputBytes } from './files';
import { checkGridSize, MAX_TEXT_BYTES } from './limits';

const HEADER_KEYS = ['ncols', 'nrows', 'xllcorner', 'xllcenter', 'yllcorner', 'yllcenter', 'cellsize', 'dx', 'dy', 'nodata_value'];

/** Coordinates are projected metres unless the caller knows better (a .prj saying GEOGCS). */
export function parseEsriAscii(text: string, file: string, geographic = false): Raster {
  const fail = (problem: string, field: string, line?: number) =>
    new TerraError('INVALID_DATA', `${file}${line ? `:${line}` : ''}: ${problem}`, { file, field, ...(line ? { line } : {}) });
  const header = new Map<string, number>();
  let pos = 0;
  let line = 0;
  // Header: "key value" lines until the first line that starts with a number.
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const raw = text.slice(pos, end < 0 ? text.length : end).trim();
    const parts = raw.split(/\s+/);
    const key = parts[0]?.toLowerCase() ?? '';
    if (raw === '' || !/^[a-z_]+$/.test(key)) break;
    line++;
    if (!HEADER_KEYS.includes(key)) throw fail(`unknown header key "${parts[0]}"`, key, line);
    const value = Number(parts[1]);
    if (parts.length !== 2 || !Number.isFinite(value)) throw fail(`header "${parts[0]}" needs one number, got "${raw}"`, key, line);
    header.set(key, value);
    pos = end < 0 ? text.length : end + 1;
  }
  const need = (key: string) => {
    const v = header.get(key);
    if (v === undefined) throw fail(`missing header "${key}"`, key);
    return v;
  };
  const nx = need('ncols');
  const ny = need('nrows');
  checkGridSize(file, nx, ny);
  const dx = header.get('cellsize') ?? need('dx');
  const dy = header.get('cellsize') ?? need('dy');
  if (!(dx > 0) || !(dy > 0)) throw fail(`cell size must be positive (got ${dx} x ${dy})`, 'cellsize');
  const centre = header.has('xllcenter');
  const xll = centre ? need('xllcenter') - dx / 2 : need('xllcorner');
  const yll = header.has('yllcenter') ? need('yllcenter') - dy / 2 : need('yllcorner');
  const nodata = header.get('nodata_value');

  const data = new Float32Array(nx * ny);
  let count = 0;
  const body = text.slice(pos);
  const re = /\S+/g;
  let lineNo = line + 1;
  let lastIndex = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    for (let i = lastIndex; i < m.index; i++) if (body.charCodeAt(i) === 10) lineNo++;
    lastIndex = m.index;
    if (count >= data.length) throw fail(`more than ${nx} x ${ny} values`, 'data', lineNo);
    const v = Number(m[0]);
    if (!Number.isFinite(v)) throw fail(`"${m[0]}" is not a number`, 'data', lineNo);
    data[count++] = v === nodata ? NaN : v;
  }
  if (count < data.length) throw fail(`expected ${nx * ny} values (${nx} x ${ny}), found ${count}: truncated?`, 'data');

  const y0 = yll + ny * dy;
  return {
    data,
    units: 'm',
    georef: makeGeoref({ nx, ny, x0: xll, y0, dx, dy, crs: geographic ? 'EPSG:4326' : 'unknown' }),
  };
}

export async function readEsriAscii(path: string): Promise<Raster> {
  const text = Buffer.from(await readInputBytes(path, MAX_TEXT_BYTES)).toString('latin1');
  // A sidecar .prj decides geographic vs projected; without one, lab and
  // engineering grids in metres are the norm.
  const prj = await readFile(path.replace(/\.asc$/i, '.prj'), 'latin1').catch(() => '');
  const geographic = /GEOGCS/i.test(prj) && !/PROJCS/i.test(prj);
  return parseEsriAscii(text, basename(path), geographic);
}

/** Writes with a corner origin; NaN becomes NODATA_value -9999. Values keep float32 precision. */
export function formatEsriAscii(raster: Raster): string {
  const { nx, ny, x0, y0, dx, dy } = raster.georef;
  const head = [`ncols ${nx}`, `nrows ${ny}`, `xllcorner ${x0}`, `yllcorner ${y0 - ny * dy}`];
  head.push(dx === dy ? `cellsize ${dx}` : `dx ${dx}\ndy ${dy}`, 'NODATA_value -9999');
  const rows: string[] = [];
  for (let r = 0; r < ny; r++) {
    const cells = new Array<string>(nx);
    for (let c = 0; c < nx; c++) {
      const v = raster.data[r * nx + c]!;
      cells[c] = Number.isNaN(v) ? '-9999' : String(v);
    }
    rows.push(cells.join(' '));
  }
  return `${head.join('\n')}\n${rows.join('\n')}\n`;
}

export async function writeEsriAscii(path: string, raster: Raster): Promise<void> {
  await writeFile(path, formatEsriAscii(raster));
}
