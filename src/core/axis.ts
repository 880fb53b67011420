/**
 * Coordinate axes given as cell-centre vectors (NetCDF coordinate variables,
 * .npz longitude/latitude): decide whether they are regular, regular in
 * spherical Mercator (latitudes spaced like a Web Mercator grid), or
 * irregular, and turn two regular axes into a georeference.
 */
import type { Georeference } from '../api/types';
import { makeGeoref } from './georef';

const WEB_MERCATOR_R = 6378137;

/** Largest deviation from a straight line, in cells, still called regular (float32 coordinates round). */
const TOLERANCE_CELLS = 0.01;

export type AxisKind = 'regular' | 'mercator' | 'irregular';

export interface AxisFit {
  kind: AxisKind;
  /** First and signed step of the centres in the axis's own units (metres for mercator). */
  first: number;
  step: number;
  /** Largest deviation from the fit, in cells. */
  deviation: number;
}

function fitLine(v: ArrayLike<number>): AxisFit {
  const n = v.length;
  const first = v[0]!;
  const step = (v[n - 1]! - first) / (n - 1);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(v[i]! - (first + i * step)));
  const deviation = step !== 0 && Number.isFinite(worst) ? worst / Math.abs(step) : Infinity;
  return { kind: deviation <= TOLERANCE_CELLS ? 'regular' : 'irregular', first, step, deviation };
}

export function mercatorY(latDeg: number): number {
  return WEB_MERCATOR_R * Math.log(Math.tan(Math.PI / 4 + (latDeg * Math.PI) / 360));
}

/** Fits a centre vector; latitudes that are not regular are also tried in Mercator y. */
export function fitAxis(values: ArrayLike<number>, latitude = false): AxisFit {
  if (values.length < 2) return { kind: 'irregular', first: values[0] ?? NaN, step: NaN, deviation: Infinity };
  const line = fitLine(values);
  if (line.kind === 'regular' || !latitude) return line;
  const y = Float64Array.from({ length: values.length }, (_, i) => mercatorY(values[i]!));
  const merc = fitLine(y);
  return merc.kind === 'regular' ? { ...merc, kind: 'mercator' } : line;
}

/** Longitudes entirely east of 180 are moved to -180..180 (a 0..360 file stays 0..360 where it must). */
export function normaliseLongitudes(values: Float64Array): Float64Array {
  let min = Infinity;
  for (const v of values) min = Math.min(min, v);
  if (min > 180) for (let i = 0; i < values.length; i++) values[i] = values[i]! - 360;
  return values;
}

export interface AxesGeoref {
  georef: Georeference;
  /** The data's columns run east to west (reverse them). */
  flipX: boolean;
  /** The data's rows run south to north (reverse them so row 0 is north). */
  flipY: boolean;
  /** Which fit was used, for messages: "regular" or "mercator". */
  kind: 'regular' | 'mercator';
}

/**
 * A georeference from x and y centre vectors, or undefined when either axis
 * is irregular. `geographic` says x/y are longitude/latitude in degrees.
 */
export function georefFromAxes(x: ArrayLike<number>, y: ArrayLike<number>, crs: string, geographic: boolean): AxesGeoref | undefined {
  const fx = fitAxis(x);
  const fy = fitAxis(y, geographic);
  if (fx.kind !== 'regular' || fy.kind === 'irregular') return undefined;
  const nx = x.length;
  const ny = y.length;
  if (fy.kind === 'mercator') {
    // Web Mercator x is the longitude in radians times the sphere radius.
    const k = (WEB_MERCATOR_R * Math.PI) / 180;
    const dx = Math.abs(fx.step) * k;
    const dy = Math.abs(fy.step);
    const west = Math.min(fx.first, fx.first + (nx - 1) * fx.step) * k - dx / 2;
    const north = Math.max(fy.first, fy.first + (ny - 1) * fy.step) + dy / 2;
    return { georef: makeGeoref({ nx, ny, x0: west, y0: north, dx, dy, crs: 'EPSG:3857' }), flipX: fx.step < 0, flipY: fy.step > 0, kind: 'mercator' };
  }
  const dx = Math.abs(fx.step);
  const dy = Math.abs(fy.step);
  const west = Math.min(fx.first, fx.first + (nx - 1) * fx.step) - dx / 2;
  const north = Math.max(fy.first, fy.first + (ny - 1) * fy.step) + dy / 2;
  return { georef: makeGeoref({ nx, ny, x0: west, y0: north, dx, dy, crs }), flipX: fx.step < 0, flipY: fy.step > 0, kind: 'regular' };
}

/** Reverses rows and/or columns of a row-major grid in place. */
export function flipGrid(data: Float32Array | Float64Array, nx: number, ny: number, flipX: boolean, flipY: boolean): void {
  if (flipY) {
    const row = data.slice(0, nx);
    for (let r = 0; r < ny >> 1; r++) {
      const a = r * nx;
      const b = (ny - 1 - r) * nx;
      row.set(data.subarray(a, a + nx));
      data.copyWithin(a, b, b + nx);
      data.set(row, b);
    }
  }
  if (flipX) {
    for (let r = 0; r < ny; r++) {
      const a = r * nx;
      for (let c = 0; c < nx >> 1; c++) {
        const t = data[a + c]!;
        data[a + c] = data[a + nx - 1 - c]!;
        data[a + nx - 1 - c] = t;
      }
    }
  }
}
