/**
 * Curvilinear grids: cell centres given as 2D longitude/latitude arrays (a
 * radar or model grid in a projection the file does not name, such as NCEP's
 * polar-stereographic Stage IV). They are regridded onto a regular grid in a
 * named CRS by projecting the centres, splitting each quad of four centres
 * into two triangles and interpolating linearly inside them. Target cells
 * outside the mesh (beyond the outermost centres) are nodata.
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { metricCrsFor, resolveCrs, transformBetween } from './crs';
import { makeGeoref } from './georef';
import { checkTargetSize } from './reproject';

export interface CurvilinearGrid {
  nx: number;
  ny: number;
  /** Row-major centres in degrees, same layout as the data. */
  lon: Float64Array;
  lat: Float64Array;
}

/** Projected centres of a curvilinear grid. */
function projectCentres(grid: CurvilinearGrid, crs: string): { x: Float64Array; y: Float64Array } {
  const t = transformBetween(resolveCrs('EPSG:4326'), resolveCrs(crs, { field: 'crs' }));
  const n = grid.nx * grid.ny;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) [x[i], y[i]] = t.forward(grid.lon[i]!, grid.lat[i]!);
  return { x, y };
}

/** A regular grid covering the projected centres; cell size defaults to the median centre spacing (3 significant digits). */
export function curvilinearTargetGrid(grid: CurvilinearGrid, crs = 'utm', cellSize?: number): Georeference {
  let target: string;
  if (crs.toLowerCase() === 'utm') {
    const range = (a: Float64Array): [number, number] => a.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
    const [lonMin, lonMax] = range(grid.lon);
    const [latMin, latMax] = range(grid.lat);
    target = metricCrsFor(lonMin, lonMax, latMin, latMax);
  } else target = resolveCrs(crs, { field: 'crs' }).id;
  const { x, y } = projectCentres(grid, target);
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    xmin = Math.min(xmin, x[i]!);
    xmax = Math.max(xmax, x[i]!);
    ymin = Math.min(ymin, y[i]!);
    ymax = Math.max(ymax, y[i]!);
  }
  if (!(xmax > xmin && ymax > ymin)) throw new TerraError('INVALID_DATA', 'curvilinear grid has no usable coordinates', { field: 'coordinates' });
  let size = cellSize;
  if (size === undefined) {
    const gaps: number[] = [];
    const stride = Math.max(1, Math.floor(x.length / 2000));
    for (let i = 0; i < x.length - 1; i += stride) {
      if ((i + 1) % grid.nx === 0) continue;
      const d = Math.hypot(x[i + 1]! - x[i]!, y[i + 1]! - y[i]!);
      if (Number.isFinite(d) && d > 0) gaps.push(d);
    }
    gaps.sort((a, b) => a - b);
    const m = gaps[gaps.length >> 1] ?? NaN;
    const p = 10 ** (Math.floor(Math.log10(m)) - 2);
    size = Math.round(m / p) * p;
  }
  if (!(size > 0) || !Number.isFinite(size)) throw new TerraError('INVALID_PARAMS', `cell size must be positive, got ${size}`, { field: 'cellSize' });
  const x0 = Math.floor(xmin / size) * size;
  const y0 = Math.ceil(ymax / size) * size;
  const nx = Math.max(1, Math.ceil((xmax - x0) / size));
  const ny = Math.max(1, Math.ceil((y0 - ymin) / size));
  checkTargetSize(nx, ny);
  return makeGeoref({ nx, ny, x0, y0, dx: size, dy: size, crs: target });
}

/** Precomputed triangle weights: apply() regrids any frame on the same grid in O(target cells). */
export interface CurvilinearMapping {
  target: Georeference;
  apply(values: Float32Array): Float32Array;
}

export function curvilinearMapping(grid: CurvilinearGrid, target: Georeference): CurvilinearMapping {
  const { nx, ny } = grid;
  const { x, y } = projectCentres(grid, target.crs);
  const cells = target.nx * target.ny;
  const idx = new Int32Array(cells * 3).fill(-1);
  const w = new Float32Array(cells * 3);
  // Vertex coordinates in target cell-index space: column/row of cell centres.
  const toCol = (v: number) => (v - target.x0) / target.dx - 0.5;
  const toRow = (v: number) => (target.y0 - v) / target.dy - 0.5;
  const tri = (a: number, b: number, c: number) => {
    const ax = toCol(x[a]!);
    const ay = toRow(y[a]!);
    const bx = toCol(x[b]!);
    const by = toRow(y[b]!);
    const cx = toCol(x[c]!);
    const cy = toRow(y[c]!);
    const det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
    if (!Number.isFinite(det) || det === 0) return;
    const c0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx)));
    const c1 = Math.min(target.nx - 1, Math.floor(Math.max(ax, bx, cx)));
    const r0 = Math.max(0, Math.ceil(Math.min(ay, by, cy)));
    const r1 = Math.min(target.ny - 1, Math.floor(Math.max(ay, by, cy)));
    const eps = -1e-9;
    for (let r = r0; r <= r1; r++) {
      for (let col = c0; col <= c1; col++) {
        const l0 = ((by - cy) * (col - cx) + (cx - bx) * (r - cy)) / det;
        const l1 = ((cy - ay) * (col - cx) + (ax - cx) * (r - cy)) / det;
        const l2 = 1 - l0 - l1;
        if (l0 < eps || l1 < eps || l2 < eps) continue;
        const k = (r * target.nx + col) * 3;
        if (idx[k]! >= 0) continue;
        idx[k] = a;
        idx[k + 1] = b;
        idx[k + 2] = c;
        w[k] = l0;
        w[k + 1] = l1;
        w[k + 2] = l2;
      }
    }
  };
  for (let r = 0; r < ny - 1; r++) {
    for (let c = 0; c < nx - 1; c++) {
      const i = r * nx + c;
      tri(i, i + 1, i + nx);
      tri(i + 1, i + nx + 1, i + nx);
    }
  }
  return {
    target,
    apply(values: Float32Array): Float32Array {
      if (values.length !== nx * ny) throw new RangeError(`expected ${nx * ny} values, got ${values.length}`);
      const out = new Float32Array(cells);
      for (let k = 0; k < cells; k++) {
        const j = k * 3;
        const a = idx[j]!;
        if (a < 0) {
          out[k] = NaN;
          continue;
        }
        const va = values[a]!;
        const vb = values[idx[j + 1]!]!;
        const vc = values[idx[j + 2]!]!;
        if (va === va && vb === vb && vc === vc) {
          out[k] = va * w[j]! + vb * w[j + 1]! + vc * w[j + 2]!;
        } else {
          // Some vertex is nodata: take the nearest vertex (largest weight), nodata or not.
          const wa = w[j]!;
          const wb = w[j + 1]!;
          const wc = w[j + 2]!;
          out[k] = wa >= wb && wa >= wc ? va : wb >= wc ? vb : vc;
        }
      }
      return out;
    },
  };
}
