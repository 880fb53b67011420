/**
 * Square patches of real fields for the VAE, from two sources:
 *
 *   flood   a flood dataset's max-depth fields (terra dataset), as sqrt(depth)
 *           like the surrogates' target (target.ts)
 *   raster  one terrain raster (any DEM the io layer reads, in metres), as
 *           relief: each patch less its own mean, so patches compare by shape
 *
 * Held-out data must be new ground, not a new storm on ground seen in
 * training (on one DEM the fields of a rain family are alike cell by cell):
 * the grid's columns are cut into bands, west to east training, validation,
 * test; a flood band takes only its own split's scenarios, so a test patch
 * is an unseen storm on unseen ground. Values are standardised with the
 * training patches' mean and standard deviation.
 */
import { basename, resolve } from 'node:path';
import { TerraError } from '../../api/errors';
import type { Georeference } from '../../api/types';
import type { Split } from '../dataset/family';
import { loadDataset, type Dataset } from '../dataset/load';
import { readDem } from '../../io/read-dem';
import type { VaeData } from './config';

export interface PatchNormalisation {
  /** Of the transformed values (sqrt depth, or relief) over the training patches. */
  mean: number;
  std: number;
}

export interface PatchSet {
  /** [n, patch, patch], standardised. */
  x: Float32Array;
  n: number;
  /** Top-left cell of each patch and the field it comes from. */
  origins: { field: string; row: number; col: number }[];
}

export interface Bands {
  /** Column ranges [start, end) per split. */
  train: [number, number];
  validation: [number, number];
  test: [number, number];
}

/** The fields patches are cut from, each with the splits it serves. */
export interface SourceFields {
  nx: number;
  ny: number;
  georef: Georeference;
  /** What a field's values are, for reports. */
  units: string;
  fields: { id: string; splits: Split[]; values: Float32Array }[];
  /** The flood dataset, when the source is one. */
  dataset?: Dataset;
}

export interface FieldPatches {
  source: SourceFields;
  patch: number;
  bands: Bands;
  norm: PatchNormalisation;
  sets: Record<Split, PatchSet>;
}

const SPLITS: Split[] = ['train', 'validation', 'test'];

export function columnBands(nx: number, data: Pick<VaeData, 'patch' | 'test_share' | 'validation_share'>): Bands {
  const test = Math.round(nx * data.test_share);
  const validation = Math.round(nx * data.validation_share);
  const bands: Bands = { train: [0, nx - test - validation], validation: [nx - test - validation, nx - test], test: [nx - test, nx] };
  for (const s of SPLITS) {
    const [a, b] = bands[s];
    if (b - a < data.patch) {
      const field = s === 'train' ? 'validation_share' : `${s}_share`;
      throw new TerraError('INVALID_PARAMS', `data.${field}: the ${s} band is ${b - a} columns of the ${nx}, narrower than a patch of ${data.patch}; change the shares or data.patch`, { field: `data.${field}` });
    }
  }
  return bands;
}

/** Top-left corners every `stride` cells from start, the last flush with the end. */
export function corners(start: number, end: number, patch: number, stride: number): number[] {
  const out: number[] = [];
  for (let c = start; c + patch <= end; c += stride) out.push(c);
  if (out.at(-1) !== end - patch) out.push(end - patch);
  return out;
}

/** A patch's values as the model sees them, before standardisation. */
export function transformPatch(kind: VaeData['kind'], values: Float32Array): Float32Array {
  if (kind === 'flood') return values.map((d) => Math.sqrt(Math.max(0, d)));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.map((v) => v - mean);
}

/** Standardised model values back to the field's units: metres of depth (a negative square root is dry), or metres of relief. */
export function decodeValues(kind: VaeData['kind'], values: ArrayLike<number>, norm: PatchNormalisation, out = new Float32Array(values.length)): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const s = values[i]! * norm.std + norm.mean;
    out[i] = kind === 'raster' ? s : s > 0 ? s * s : 0;
  }
  return out;
}

export async function readSource(data: VaeData): Promise<SourceFields> {
  if (data.kind === 'flood') {
    const dataset = await loadDataset(data.dataset);
    const fields = dataset.scenarios.map((s) => ({ id: s.id, splits: [s.split], values: dataset.targets.get(s.id)! }));
    return { nx: dataset.nx, ny: dataset.ny, georef: dataset.manifest.source.georef, units: 'm of max depth', fields, dataset };
  }
  const raster = await readDem(resolve(data.file));
  const bad = raster.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const nx = raster.georef.nx;
    throw new TerraError('INVALID_DATA', `${basename(data.file)}: no data at row ${Math.floor(bad / nx)}, column ${bad % nx}; fill the raster first (terra import --fill)`, { file: resolve(data.file), field: 'data' });
  }
  return { nx: raster.georef.nx, ny: raster.georef.ny, georef: raster.georef, units: 'm of relief', fields: [{ id: basename(data.file), splits: [...SPLITS], values: raster.data }] };
}

/** Reads the source and cuts the patches of every split; statistics from the training patches (or `norm`, a saved model's). */
export async function loadFieldPatches(data: VaeData, norm?: PatchNormalisation): Promise<FieldPatches> {
  const source = await readSource(data);
  const { nx, ny } = source;
  const p = data.patch;
  if (ny < p) throw new TerraError('INVALID_PARAMS', `data.patch: ${p} cells is taller than the grid (${ny} rows)`, { field: 'data.patch' });
  const bands = columnBands(nx, data);
  const raw: Record<Split, { values: Float32Array[]; origins: PatchSet['origins'] }> = { train: { values: [], origins: [] }, validation: { values: [], origins: [] }, test: { values: [], origins: [] } };
  const cut = new Float32Array(p * p);
  for (const split of SPLITS) {
    const fields = source.fields.filter((f) => f.splits.includes(split));
    if (fields.length === 0) throw new TerraError('INVALID_DATA', `${data.kind === 'flood' ? data.dataset : data.file}: no ${split} scenarios`, { field: 'scenarios' });
    const [c0, c1] = bands[split];
    for (const f of fields) {
      for (const row of corners(0, ny, p, data.stride)) {
        for (const col of corners(c0, c1, p, data.stride)) {
          for (let i = 0; i < p; i++) cut.set(f.values.subarray((row + i) * nx + col, (row + i) * nx + col + p), i * p);
          if (data.kind === 'flood') {
            let wet = 0;
            for (const d of cut) if (d >= data.wet_depth_m) wet++;
            if (wet < data.min_wet * p * p) continue;
          }
          raw[split].values.push(transformPatch(data.kind, cut));
          raw[split].origins.push({ field: f.id, row, col });
        }
      }
    }
    if (raw[split].values.length === 0) {
      throw new TerraError('INVALID_DATA', `data.min_wet: no ${split} patch has ${(data as { min_wet: number }).min_wet * 100}% of its cells wet; lower it`, { field: 'data.min_wet' });
    }
  }
  const stats = norm ?? moments(raw.train.values);
  const sets = Object.fromEntries(
    SPLITS.map((split) => {
      const { values, origins } = raw[split];
      const x = new Float32Array(values.length * p * p);
      values.forEach((v, i) => {
        for (let k = 0; k < v.length; k++) x[i * p * p + k] = (v[k]! - stats.mean) / stats.std;
      });
      return [split, { x, n: values.length, origins }];
    }),
  ) as Record<Split, PatchSet>;
  return { source, patch: p, bands, norm: stats, sets };
}

function moments(values: Float32Array[]): PatchNormalisation {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    for (const x of v) {
      sum += x;
      sq += x * x;
      n++;
    }
  }
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  return { mean, std: std > 1e-9 ? std : 1 };
}

/** One of the 8 symmetries of the square (flips and transpose), `t` in 0..7, applied to a p x p patch. */
export function symmetry(src: Float32Array, p: number, t: number, out: Float32Array, offset = 0): void {
  const flipRows = (t & 1) !== 0;
  const flipCols = (t & 2) !== 0;
  const transpose = (t & 4) !== 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let r = transpose ? j : i;
      let c = transpose ? i : j;
      if (flipRows) r = p - 1 - r;
      if (flipCols) c = p - 1 - c;
      out[offset + i * p + j] = src[r * p + c]!;
    }
  }
}
