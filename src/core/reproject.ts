/**
 * Reprojection of a raster onto a grid in another CRS (proj4), by inverse
 * mapping: each target cell centre is carried into the source CRS and sampled
 * (nearest or bilinear).
 *
 * Projecting every cell exactly costs one proj4 call per cell, so source
 * positions are computed exactly on a lattice of target cells and
 * interpolated bilinearly in between, GDAL's "approximate transformer". The
 * lattice is refined until the interpolation error, checked at the lattice
 * cell midpoints, is below `maxErrorCells` source cells (default 0.02).
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { MAX_GRID_CELLS } from '../io/limits';
import { metricCrsFor, resolveCrs, transformBetween, type Transform } from './crs';
import { extentOf, makeGeoref } from './georef';
import type { Raster } from './raster';
import { samplerFor, type ResampleMethod } from './sample';

export interface ReprojectOptions {
  /** Target CRS ("EPSG:32613", "+proj=..."), or "utm" (the default): the UTM zone of the grid's centre, or equal-area for very wide grids (see metricCrsFor). */
  crs?: string;
  /** Target cell size in target CRS units (metres for UTM); default: the source's ground cell size. */
  cellSize?: number;
  method?: ResampleMethod;
  /** Largest interpolation error of source positions, in source cells. */
  maxErrorCells?: number;
}

/** Reprojects to a target grid covering the source's footprint, origin snapped to whole cells. */
export function reproject(raster: Raster, options: ReprojectOptions = {}): Raster {
  const target = reprojectedGrid(raster.georef, options.crs ?? 'utm', options.cellSize);
  return warp(raster, target, options.method ?? 'bilinear', options.maxErrorCells);
}

/** The target grid of {@link reproject}: the bounding box of the source outline in the target CRS. */
export function reprojectedGrid(source: Georeference, crsName: string, cellSize?: number): Georeference {
  const src = resolveCrs(source.crs, { field: 'crs' });
  let targetId = crsName;
  if (crsName.toLowerCase() === 'utm') {
    // UTM zone of the centre, or an equal-area projection for grids wider than a UTM zone or two.
    const toGeo = transformBetween(src, resolveCrs('EPSG:4326'));
    const e0 = extentOf(source);
    let lonMin = Infinity;
    let lonMax = -Infinity;
    let latMin = Infinity;
    let latMax = -Infinity;
    for (const fx of [0, 0.5, 1]) {
      for (const fy of [0, 0.5, 1]) {
        const [lon, lat] = toGeo.forward(e0.xmin + fx * (e0.xmax - e0.xmin), e0.ymin + fy * (e0.ymax - e0.ymin));
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
        lonMin = Math.min(lonMin, lon);
        lonMax = Math.max(lonMax, lon);
        latMin = Math.min(latMin, lat);
        latMax = Math.max(latMax, lat);
      }
    }
    targetId = metricCrsFor(lonMin, lonMax, latMin, latMax);
  }
  const dst = resolveCrs(targetId, { field: 'crs' });
  const t = transformBetween(src, dst);
  const e = extentOf(source);
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  const n = 64;
  for (let i = 0; i <= n; i++) {
    const fx = e.xmin + ((e.xmax - e.xmin) * i) / n;
    const fy = e.ymin + ((e.ymax - e.ymin) * i) / n;
    for (const [x, y] of [t.forward(fx, e.ymin), t.forward(fx, e.ymax), t.forward(e.xmin, fy), t.forward(e.xmax, fy)]) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      ymin = Math.min(ymin, y);
      ymax = Math.max(ymax, y);
    }
  }
  if (!(xmax > xmin && ymax > ymin)) {
    throw new TerraError('INVALID_DATA', `the grid cannot be projected to ${dst.id} (its outline falls outside that projection)`, { field: 'crs' });
  }
  const size = cellSize ?? defaultCellSize(source, dst.geographic);
  if (!(size > 0) || !Number.isFinite(size)) throw new TerraError('INVALID_PARAMS', `cell size must be positive, got ${size}`, { field: 'cellSize' });
  const x0 = Math.floor(xmin / size) * size;
  const y0 = Math.ceil(ymax / size) * size;
  const nx = Math.max(1, Math.ceil((xmax - x0) / size - 1e-9));
  const ny = Math.max(1, Math.ceil((y0 - ymin) / size - 1e-9));
  checkTargetSize(nx, ny);
  return makeGeoref({ nx, ny, x0, y0, dx: size, dy: size, crs: dst.id });
}

function defaultCellSize(g: Georeference, geographic: boolean): number {
  if (geographic) return Math.min(g.dx, g.dy);
  // Geometric mean of the ground cell sizes keeps the cell count, rounded to 3 significant digits.
  const m = Math.sqrt(g.dxMetres * g.dyMetres);
  const p = 10 ** (Math.floor(Math.log10(m)) - 2);
  return Math.round(m / p) * p;
}

export function checkTargetSize(nx: number, ny: number): void {
  if (nx * ny > MAX_GRID_CELLS) {
    throw new TerraError('INVALID_PARAMS', `target grid of ${nx} x ${ny} cells exceeds the limit of ${MAX_GRID_CELLS} cells; choose a larger cell size`, {
      field: 'cellSize',
    });
  }
}

/** Samples `raster` at every cell centre of `target` (any CRS). */
export function warp(raster: Raster, target: Georeference, method: ResampleMethod = 'bilinear', maxErrorCells = 0.02): Raster {
  const src = raster.georef;
  const t = transformBetween(resolveCrs(target.crs, { field: 'crs' }), resolveCrs(src.crs, { field: 'crs' }));
  const sample = samplerFor(method);
  const out = new Float32Array(target.nx * target.ny);
  const positions = sourcePositions(target, src, t, maxErrorCells);
  positions((row, fcs, frs) => {
    const base = row * target.nx;
    for (let c = 0; c < target.nx; c++) out[base + c] = sample(raster.data, src.nx, src.ny, fcs[c]!, frs[c]!);
  });
  return { data: out, units: raster.units, georef: target };
}

type RowVisitor = (row: number, fc: Float64Array, fr: Float64Array) => void;

/**
 * Returns a driver that calls `visit` once per target row with the fractional
 * source (col, row) of each target cell centre.
 */
export function sourcePositions(target: Georeference, src: Georeference, t: Transform, maxErrorCells: number): (visit: RowVisitor) => void {
  const exact = (c: number, r: number): [number, number] => {
    const [x, y] = t.forward(target.x0 + (c + 0.5) * target.dx, target.y0 - (r + 0.5) * target.dy);
    return [(x - src.x0) / src.dx - 0.5, (src.y0 - y) / src.dy - 0.5];
  };
  let step = 32;
  let lattice = buildLattice(target, exact, step);
  while (step > 1 && latticeError(lattice, exact) > maxErrorCells) {
    step = Math.max(1, step >> 1);
    lattice = buildLattice(target, exact, step);
  }
  const { cols, rows, fc, fr } = lattice;
  const ncols = cols.length;
  return (visit) => {
    const rowFc = new Float64Array(target.nx);
    const rowFr = new Float64Array(target.nx);
    let k = 0;
    for (let r = 0; r < target.ny; r++) {
      while (k < rows.length - 2 && r > rows[k + 1]!) k++;
      const r0 = rows[k]!;
      const r1 = rows[Math.min(k + 1, rows.length - 1)]!;
      const wy = r1 > r0 ? (r - r0) / (r1 - r0) : 0;
      let j = 0;
      for (let c = 0; c < target.nx; c++) {
        while (j < ncols - 2 && c > cols[j + 1]!) j++;
        const c0 = cols[j]!;
        const c1 = cols[Math.min(j + 1, ncols - 1)]!;
        const wx = c1 > c0 ? (c - c0) / (c1 - c0) : 0;
        const a = k * ncols + j;
        const b = a + (c1 > c0 ? 1 : 0);
        const d = r1 > r0 ? ncols : 0;
        rowFc[c] = (1 - wy) * ((1 - wx) * fc[a]! + wx * fc[b]!) + wy * ((1 - wx) * fc[a + d]! + wx * fc[b + d]!);
        rowFr[c] = (1 - wy) * ((1 - wx) * fr[a]! + wx * fr[b]!) + wy * ((1 - wx) * fr[a + d]! + wx * fr[b + d]!);
      }
      visit(r, rowFc, rowFr);
    }
  };
}

interface Lattice {
  cols: number[];
  rows: number[];
  fc: Float64Array;
  fr: Float64Array;
  step: number;
}

function nodes(n: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  out.push(n - 1);
  return out;
}

function buildLattice(target: Georeference, exact: (c: number, r: number) => [number, number], step: number): Lattice {
  const cols = nodes(target.nx, step);
  const rows = nodes(target.ny, step);
  const fc = new Float64Array(cols.length * rows.length);
  const fr = new Float64Array(cols.length * rows.length);
  rows.forEach((r, i) =>
    cols.forEach((c, j) => {
      const [a, b] = exact(c, r);
      fc[i * cols.length + j] = a;
      fr[i * cols.length + j] = b;
    }),
  );
  return { cols, rows, fc, fr, step };
}

/** Largest |interpolated - exact| source position at the midpoints of (up to ~400) lattice cells. */
function latticeError(l: Lattice, exact: (c: number, r: number) => [number, number]): number {
  const { cols, rows, fc, fr } = l;
  const n = cols.length;
  let worst = 0;
  const strideR = Math.max(1, Math.floor(rows.length / 20));
  const strideC = Math.max(1, Math.floor(n / 20));
  for (let i = 0; i < rows.length - 1; i += strideR) {
    for (let j = 0; j < n - 1; j += strideC) {
      const c = (cols[j]! + cols[j + 1]!) / 2;
      const r = (rows[i]! + rows[i + 1]!) / 2;
      const a = i * n + j;
      const ic = (fc[a]! + fc[a + 1]! + fc[a + n]! + fc[a + n + 1]!) / 4;
      const ir = (fr[a]! + fr[a + 1]! + fr[a + n]! + fr[a + n + 1]!) / 4;
      const [ec, er] = exact(c, r);
      if (!Number.isFinite(ec) || !Number.isFinite(ic)) {
        if (Number.isFinite(ec) !== Number.isFinite(ic)) return Infinity;
        continue;
      }
      worst = Math.max(worst, Math.abs(ic - ec), Math.abs(ir - er));
    }
  }
  return worst;
}
