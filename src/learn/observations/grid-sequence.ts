/**
 * A gridded sequence for forecasting: one field series per variable (NetCDF
 * and the other grids io/open.ts reads), all on one regular grid with the
 * same time axis at a fixed step. Checked here: every file has the variable
 * asked for, a time axis, and the same grid and times as the first one.
 *
 * Missing data is handled, not filled: cells without data in most frames
 * (outside the product's domain) are masked out of inputs, loss and scores;
 * a frame missing on unmasked cells makes every sample that needs it drop
 * out (interpolating it would hand the network a blend of its own target).
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { TerraError } from '../../api/errors';
import type { Georeference } from '../../api/types';
import { formatIsoUtc } from '../../core/time';
import { readInputBytes } from '../../io/files';
import { parseDataset } from '../../io/open';
import type { GridData } from './config';

export interface GridFile {
  path: string;
  file: string;
  sha256: string;
  variable: string;
  units: string;
}

export interface GridSequence {
  names: string[];
  files: Record<string, GridFile>;
  georef: Georeference;
  nx: number;
  ny: number;
  /** Epoch ms per frame, evenly spaced. */
  times: Float64Array;
  stepMs: number;
  /** Per variable, one row-major frame (row 0 north) per time. */
  frames: Record<string, Float32Array[]>;
  /** 1 where a cell has data (in at least half of every variable's frames). */
  mask: Uint8Array;
  /** Frames with data on every masked cell of every variable. */
  frameOk: boolean[];
  warnings: string[];
}

export async function loadGridSequence(data: Pick<GridData, 'variables'>): Promise<GridSequence> {
  const names = Object.keys(data.variables);
  const files: Record<string, GridFile> = {};
  const frames: Record<string, Float32Array[]> = {};
  const warnings: string[] = [];
  let first: { georef: Georeference; times: Float64Array; file: string; name: string } | undefined;
  for (const name of names) {
    const spec = data.variables[name]!;
    const field = `variables.${name}`;
    const path = resolve(spec.file);
    const wrap = (err: unknown) => (err instanceof TerraError ? new TerraError(err.code, `${field}: ${err.message}`, { ...err.details, file: path, field }) : err);
    const fail = (problem: string) => new TerraError('INVALID_DATA', `${field}: ${basename(path)}: ${problem}`, { file: path, field });
    let bytes: Uint8Array;
    let d;
    try {
      bytes = await readInputBytes(path);
      d = await parseDataset(bytes, path, { variable: spec.variable, units: spec.units ? { '*': spec.units } : undefined });
    } catch (err) {
      throw wrap(err);
    }
    if (d.kind !== 'grid') throw fail(`a ${d.format} file, not a gridded field`);
    if (d.geometry.kind !== 'regular') throw fail(`variable "${d.variable}" is on a curvilinear grid; regrid it first (terra import)`);
    if (!d.times || d.times.length < 2) throw fail(`variable "${d.variable}" has no time axis with known units (a forecast needs a series of frames)`);
    const georef = d.geometry.georef;
    if (!first) first = { georef, times: d.times, file: d.file, name };
    else {
      const g = first.georef;
      if (georef.nx !== g.nx || georef.ny !== g.ny || Math.abs(georef.x0 - g.x0) > 1e-6 * Math.abs(g.dx) || Math.abs(georef.y0 - g.y0) > 1e-6 * Math.abs(g.dy) || georef.crs !== g.crs) {
        throw fail(`grid ${georef.nx} x ${georef.ny} at (${georef.x0}, ${georef.y0}) ${georef.crs} differs from ${first.file} (${first.name}): ${g.nx} x ${g.ny} at (${g.x0}, ${g.y0}) ${g.crs}`);
      }
      if (d.times.length !== first.times.length || d.times.some((t, i) => t !== first!.times[i])) {
        throw fail(`times differ from ${first.file} (${first.name}): ${d.times.length} frames from ${formatIsoUtc(d.times[0]!)} against ${first.times.length} from ${formatIsoUtc(first.times[0]!)}`);
      }
    }
    const step = d.times[1]! - d.times[0]!;
    const uneven = d.times.findIndex((t, i) => i > 0 && t - d.times![i - 1]! !== step);
    if (!(step > 0) || uneven > 0) throw fail(`frames are not evenly spaced in time (at frame ${uneven}); a forecast step needs a regular series`);
    files[name] = { path, file: d.file, sha256: createHash('sha256').update(bytes).digest('hex'), variable: d.variable, units: d.units };
    frames[name] = d.frames;
  }
  const { georef, times } = first!;
  const cells = georef.nx * georef.ny;
  const mask = new Uint8Array(cells).fill(1);
  for (const name of names) {
    const fr = frames[name]!;
    for (let k = 0; k < cells; k++) {
      let have = 0;
      for (const f of fr) if (f[k] === f[k]) have++;
      if (have * 2 < fr.length) mask[k] = 0;
    }
  }
  const used = mask.reduce((s, m) => s + m, 0);
  if (used === 0) throw new TerraError('INVALID_DATA', `${names.join(', ')}: no cell has data in most frames`, { field: 'variables' });
  if (used < cells) warnings.push(`${cells - used} of ${cells} cells have no data in most frames (outside the grids' domain): masked out`);
  const frameOk = Array.from(times, (t, i) => {
    const gaps = names.filter((name) => {
      const f = frames[name]![i]!;
      for (let k = 0; k < cells; k++) if (mask[k] && f[k] !== f[k]) return true;
      return false;
    });
    if (gaps.length) warnings.push(`frame ${i} (${formatIsoUtc(t)}) lacks data in ${gaps.join(', ')}: samples that need it are left out`);
    return gaps.length === 0;
  });
  return { names, files, georef, nx: georef.nx, ny: georef.ny, times, stepMs: times[1]! - times[0]!, frames, mask, frameOk, warnings };
}
