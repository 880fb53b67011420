/**
 * Gridded rain for a scenario (`rain: {grid: "stageiv.nc"}`): a field series
 * (NetCDF with a time axis, regular or curvilinear 2D lat/lon such as NCEP
 * Stage IV) regridded onto the DEM and turned into a rain rate per cell.
 *
 * Two kinds of frame, told apart by their units:
 * - depths (mm, kg m-2, m): the accumulation over the period ENDING at the
 *   frame's time stamp (how Stage IV and most radar products store it). The
 *   rate is constant over that period, so the volume that falls equals the
 *   file's accumulation exactly.
 * - rates (mm/h, kg m-2 s-1, m/s): instantaneous, linear in time between frames.
 *
 * Run time 0 is `start` (ISO 8601), by default the start of the file's first
 * period. Everything is checked before the run: the grid must cover every DEM
 * cell and the frames the whole run; nothing is extrapolated.
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { coveringMapping, type FrameMapping } from '../core/grid-mapping';
import { conversion, parseUnits } from '../core/units';
import { readDataset, type GridDataset } from '../io/open';

export interface RainGridOptions {
  variable?: string;
  /** Units when the file has none. */
  units?: string;
  /** ISO 8601 time of run time 0. */
  start?: string;
  /** Length of each accumulation period (s) when the file's spacing cannot tell (a single frame). */
  accumulation_s?: number;
}

/** A per-cell rain function in the solver's form: m/s into `out`. */
export type RainField = (t: number, out: Float64Array) => Float64Array;

export interface RainGrid {
  rain: RainField;
  /** Run times (s) of the frames: where the rate jumps (accumulations) or bends (rates). */
  breaks: number[];
  /** What was read, for the run summary and logs. */
  description: string;
}

/** Fails with the scenario field (and file) named. */
type Fail = (field: string, problem: string) => TerraError;

export async function loadRainGrid(path: string, options: RainGridOptions, dem: Georeference, durationS: number, fail: Fail): Promise<RainGrid> {
  let dataset;
  try {
    dataset = await readDataset(path, { variable: options.variable, units: options.units ? { '*': options.units } : undefined });
  } catch (err) {
    if (err instanceof TerraError) throw fail('rain.grid', err.message);
    throw err;
  }
  if (dataset.kind !== 'grid') throw fail('rain.grid', `${dataset.file} is a ${dataset.format} file, not a gridded field`);
  const d = dataset;
  const mapToDem = demMapping(d, dem, fail);
  const { kind, toMetres } = rainUnits(d, fail);
  const times = d.times;
  if (!times || times.length === 0) throw fail('rain.grid', `${d.file}: variable ${d.variable} has no time axis with known units`);
  const n = times.length;
  for (let i = 1; i < n; i++) {
    if (!(times[i]! > times[i - 1]!)) throw fail('rain.grid', `${d.file}: frame times must increase (frame ${i})`);
  }

  // Frame i holds over [lo_i, hi_i] (epoch ms): the period ending at its stamp for depths.
  let periodMs: number;
  if (n > 1) periodMs = times[1]! - times[0]!;
  else if (options.accumulation_s !== undefined) periodMs = options.accumulation_s * 1000;
  else if (kind === 'depth') throw fail('rain.accumulation_s', `${d.file} has one frame: give the accumulation period in seconds`);
  else periodMs = Infinity;
  const firstMs = kind === 'depth' ? times[0]! - periodMs : times[0]!;
  const lastMs = times[n - 1]!;
  let startMs = firstMs;
  if (options.start !== undefined) {
    startMs = Date.parse(options.start);
    if (!Number.isFinite(startMs)) throw fail('rain.start', `"${options.start}" is not an ISO 8601 time`);
  }
  const endMs = startMs + durationS * 1000;
  if (startMs < firstMs || endMs > lastMs) {
    throw fail(
      'rain.grid',
      `${d.file} covers ${iso(firstMs)} to ${iso(lastMs)} but the run needs ${iso(startMs)} to ${iso(endMs)} (${durationS} s)`,
    );
  }

  // Rate (m/s) on the DEM grid of frame i, regridded on first use; a run walks forward, so two are cached.
  const cache = new Map<number, Float32Array>();
  const rate = (i: number): Float32Array => {
    let r = cache.get(i);
    if (r) return r;
    r = mapToDem(d.frames[i]!);
    const scale = kind === 'depth' ? toMetres / (periodFor(times, i, periodMs) / 1000) : toMetres;
    for (let k = 0; k < r.length; k++) {
      const v = r[k]! * scale;
      if (!(v >= 0) || v === Infinity) {
        throw new TerraError('INVALID_DATA', `${d.file}: frame ${iso(times[i]!)} gives rain ${r[k]} ${d.units} at DEM cell ${k} (row ${Math.floor(k / dem.nx)}, column ${k % dem.nx}); rain must be finite and >= 0`, {
          file: d.path,
          field: 'rain.grid',
        });
      }
      r[k] = v;
    }
    if (cache.size >= 2) cache.delete(cache.keys().next().value!);
    cache.set(i, r);
    return r;
  };

  const rain: RainField = (t, out) => {
    const ms = startMs + t * 1000;
    if (kind === 'depth') {
      // first frame whose period ends at or after ms
      const i = Math.min(n - 1, lowerBound(times, ms));
      const r = rate(i);
      for (let k = 0; k < out.length; k++) out[k] = r[k]!;
      return out;
    }
    const i = Math.max(0, Math.min(n - 2, upperBound(times, ms) - 1));
    if (n === 1) {
      const r = rate(0);
      for (let k = 0; k < out.length; k++) out[k] = r[k]!;
      return out;
    }
    const w = Math.min(1, Math.max(0, (ms - times[i]!) / (times[i + 1]! - times[i]!)));
    const a = rate(i);
    const b = rate(i + 1);
    for (let k = 0; k < out.length; k++) out[k] = a[k]! + w * (b[k]! - a[k]!);
    return out;
  };
  // Check every frame the run uses now, so bad values fail before any computation.
  for (let i = 0; i < n; i++) {
    const lo = kind === 'depth' ? times[i]! - periodFor(times, i, periodMs) : i > 0 ? times[i - 1]! : times[0]!;
    const hi = kind === 'depth' ? times[i]! : i < n - 1 ? times[i + 1]! : times[i]!;
    if (hi >= startMs && lo <= endMs) rate(i);
  }
  return {
    rain,
    breaks: Array.from(times, (ms) => (ms - startMs) / 1000),
    description: `${d.file}: ${d.variable} (${d.units}, ${kind === 'depth' ? 'accumulations' : 'rates'}), ${n} frames from ${iso(times[0]!)}, run starts ${iso(startMs)}`,
  };
}

/** Period (ms) ending at frame i's stamp: the gap to the previous frame (the first frame takes the first gap). */
function periodFor(times: Float64Array, i: number, first: number): number {
  return i > 0 ? times[i]! - times[i - 1]! : first;
}

/** Accumulated depths or rates, and the factor to metres (of depth, or per second). */
function rainUnits(d: GridDataset, fail: Fail): { kind: 'depth' | 'rate'; toMetres: number } {
  if (!d.units) throw fail('rain.units', `${d.file}: variable ${d.variable} has no units; give rain.units (e.g. "mm" or "mm/h")`);
  let info;
  try {
    info = parseUnits(d.units, { file: d.file, field: 'rain.units' });
  } catch (err) {
    throw fail('rain.units', (err as Error).message);
  }
  if (info.family === 'precipitation' || info.family === 'length') return { kind: 'depth', toMetres: conversion(info.symbol, 'm').scale };
  if (info.family === 'precipitation-rate') return { kind: 'rate', toMetres: conversion(info.symbol, 'm/s').scale };
  throw fail('rain.grid', `${d.file}: variable ${d.variable} is in ${d.units}, not a rain depth (mm, kg m-2) or rate (mm/h)`);
}

/** Regrids a frame of the dataset onto the DEM; refuses a grid that leaves any DEM cell uncovered. */
function demMapping(d: GridDataset, dem: Georeference, fail: Fail): FrameMapping {
  try {
    return coveringMapping(d.geometry, dem, d.file, 'the DEM');
  } catch (err) {
    if (err instanceof TerraError) throw fail('rain.grid', err.message);
    throw err;
  }
}

/** First index with times[i] >= v. */
function lowerBound(times: Float64Array, v: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with times[i] > v. */
function upperBound(times: Float64Array, v: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
