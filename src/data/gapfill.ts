/**
 * Gap filling.
 * - Series: linear interpolation in time (by timestamp, not by index) across
 *   gaps no longer than `maxGapMs`; leading and trailing gaps stay empty.
 * - Field series: the same, cell by cell through the frames (a frame the
 *   source lost entirely is rebuilt from its neighbours in time).
 * - Rasters: holes (nodata regions that do not touch the grid edge) are filled
 *   by solving Laplace's equation with the surrounding cells as boundary
 *   values (successive over-relaxation), or by inverse-distance weighting of
 *   the hole's rim. Nodata connected to the edge (outside a footprint, sea
 *   masks) is left alone: that would be extrapolation.
 */

export interface FillReport {
  /** Values filled. */
  filled: number;
  /** Nodata values left (edge-connected regions, over-long or end gaps). */
  remaining: number;
}

/** Fills NaN runs in `values` (a copy) by linear interpolation in `times`. */
export function fillSeriesLinear(times: ArrayLike<number>, values: Float64Array, maxGapMs = Infinity): { values: Float64Array; report: FillReport } {
  const out = values.slice();
  let filled = 0;
  let remaining = 0;
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== out[i]) continue;
    if (prev >= 0 && i - prev > 1) {
      const t0 = times[prev]!;
      const t1 = times[i]!;
      if (t1 - t0 <= maxGapMs) {
        for (let k = prev + 1; k < i; k++) out[k] = out[prev]! + ((out[i]! - out[prev]!) * (times[k]! - t0)) / (t1 - t0);
        filled += i - prev - 1;
      } else remaining += i - prev - 1;
    } else if (prev < 0) remaining += i;
    prev = i;
  }
  remaining += prev < 0 ? out.length : out.length - 1 - prev;
  return { values: out, report: { filled, remaining } };
}

/** Fills NaN cells of each frame by linear interpolation in time through the frames (copies). */
export function fillFramesLinear(times: ArrayLike<number>, frames: Float32Array[], maxGapMs = Infinity): { frames: Float32Array[]; report: FillReport } {
  const out = frames.map((f) => f.slice());
  const nt = frames.length;
  const cells = frames[0]?.length ?? 0;
  const series = new Float64Array(nt);
  let filled = 0;
  let remaining = 0;
  for (let i = 0; i < cells; i++) {
    let gaps = false;
    for (let t = 0; t < nt; t++) {
      const v = out[t]![i]!;
      series[t] = v;
      if (v !== v) gaps = true;
    }
    if (!gaps) continue;
    const { values, report } = fillSeriesLinear(times, series, maxGapMs);
    for (let t = 0; t < nt; t++) out[t]![i] = values[t]!;
    filled += report.filled;
    remaining += report.remaining;
  }
  return { frames: out, report: { filled, remaining } };
}

export type RasterFillMethod = 'laplace' | 'idw';

export interface RasterFillOptions {
  method?: RasterFillMethod;
  /** Largest hole (cells) to fill; bigger ones stay nodata. */
  maxHoleCells?: number;
  /** SOR stops when the largest change is below this (data units). */
  tolerance?: number;
  maxIterations?: number;
}

/** Fills interior holes of a row-major grid (a copy). */
export function fillRasterHoles(data: Float32Array, nx: number, ny: number, options: RasterFillOptions = {}): { data: Float32Array; report: FillReport } {
  const out = data.slice();
  const label = new Int32Array(nx * ny).fill(-1);
  const stack: number[] = [];
  let filled = 0;
  let remaining = 0;
  let next = 0;
  const maxHole = options.maxHoleCells ?? Infinity;
  for (let start = 0; start < out.length; start++) {
    if (out[start] === out[start] || label[start] !== -1) continue;
    // Flood the 4-connected nodata component.
    const id = next++;
    const cells: number[] = [];
    let touchesEdge = false;
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      cells.push(i);
      const r = (i / nx) | 0;
      const c = i - r * nx;
      if (r === 0 || c === 0 || r === ny - 1 || c === nx - 1) touchesEdge = true;
      for (const j of [c > 0 ? i - 1 : -1, c < nx - 1 ? i + 1 : -1, r > 0 ? i - nx : -1, r < ny - 1 ? i + nx : -1]) {
        if (j >= 0 && out[j] !== out[j] && label[j] === -1) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    if (touchesEdge || cells.length > maxHole) {
      remaining += cells.length;
      continue;
    }
    if (options.method === 'idw') fillIdw(out, nx, cells);
    else fillLaplace(out, nx, cells, options.tolerance, options.maxIterations);
    filled += cells.length;
  }
  return { data: out, report: { filled, remaining } };
}

/** Valid 4-neighbours of a hole (its rim), each once. */
function rim(data: Float32Array, nx: number, cells: number[]): number[] {
  const seen = new Set<number>();
  for (const i of cells) {
    const c = i % nx;
    for (const j of [c > 0 ? i - 1 : -1, c < nx - 1 ? i + 1 : -1, i - nx, i + nx]) {
      if (j >= 0 && j < data.length && data[j] === data[j]) seen.add(j);
    }
  }
  return [...seen];
}

function fillIdw(data: Float32Array, nx: number, cells: number[]): void {
  let edge = rim(data, nx, cells);
  // Past a few thousand rim cells, a regular subsample gives the same surface.
  if (edge.length > 4000) edge = edge.filter((_, k) => k % Math.ceil(edge.length / 4000) === 0);
  const values = cells.map((i) => {
    const r = (i / nx) | 0;
    const c = i - r * nx;
    let sw = 0;
    let s = 0;
    for (const j of edge) {
      const rj = (j / nx) | 0;
      const d2 = (rj - r) ** 2 + (j - rj * nx - c) ** 2;
      const w = 1 / d2;
      sw += w;
      s += w * data[j]!;
    }
    return s / sw;
  });
  cells.forEach((i, k) => (data[i] = values[k]!));
}

function fillLaplace(data: Float32Array, nx: number, cells: number[], tolerance?: number, maxIterations = 5000): void {
  const edge = rim(data, nx, cells);
  let lo = Infinity;
  let hi = -Infinity;
  let mean = 0;
  for (const j of edge) {
    lo = Math.min(lo, data[j]!);
    hi = Math.max(hi, data[j]!);
    mean += data[j]!;
  }
  mean /= edge.length;
  // Start from inverse-distance values for small holes (fast convergence), the rim mean otherwise.
  if (cells.length * edge.length <= 4_000_000) fillIdw(data, nx, cells);
  else for (const i of cells) data[i] = mean;
  const tol = tolerance ?? Math.max(1e-4 * (hi - lo), 1e-6);
  let r0 = Infinity;
  let r1 = -Infinity;
  let c0 = Infinity;
  let c1 = -Infinity;
  for (const i of cells) {
    const r = (i / nx) | 0;
    const c = i - r * nx;
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
  }
  const rows = r1 - r0 + 1;
  const cols = c1 - c0 + 1;
  // Optimal SOR factor for a rectangle of this size.
  const omega = 2 / (1 + Math.sin(Math.PI / (Math.max(rows, cols) + 1)));
  const hole = Int32Array.from(cells);
  for (let it = 0; it < maxIterations; it++) {
    let change = 0;
    for (let k = 0; k < hole.length; k++) {
      const i = hole[k]!;
      const v = (data[i - 1]! + data[i + 1]! + data[i - nx]! + data[i + nx]!) / 4;
      const d = omega * (v - data[i]!);
      data[i] = data[i]! + d;
      if (Math.abs(d) > change) change = Math.abs(d);
    }
    if (change < tol) break;
  }
}
