/**
 * Samples of a gridded sequence: from frames a-1 and a of every variable,
 * the tendency of each target from frame a to frame a + horizon.
 *
 * Input channels (channels last, the grid padded at its south and east edges
 * to the network's size multiple, padding masked):
 *   per variable   its value, (x - mean) / std; its last step, (x_a - x_{a-1}) / step std
 *   per target     with winds u and v: its advection over the horizon,
 *                  -(u dx/dX + v dx/dY) h, / change std (centred differences in metres)
 *   static         the mask, row and column in [-1, 1]
 *   time           sine and cosine of the target's hour of day (UTC)
 * Target: (x_{a+h} - x_a) / change std per target; an output of 0 is persistence.
 *
 * Splits are by target time: the last `test_steps` frames are test targets,
 * the `validation_steps` before them validation targets, earlier ones
 * training targets. Statistics come from the frames training samples use.
 */
import { TerraError } from '../../api/errors';
import { isGeographicCrs } from '../../core/georef';
import { meanStd, type MeanStd } from '../dataset/stats';
import type { GridData } from './config';
import type { GridSequence } from './grid-sequence';
import type { SplitName } from './windows';

export interface GridLayout {
  variables: string[];
  targets: string[];
  horizon: number;
  /** Advection channels (the sequence has u and v). */
  advection: boolean;
  channels: string[];
  /** Grid padded to the network's size multiple. */
  rows: number;
  cols: number;
}

export interface GridVariableStats extends MeanStd {
  /** Standard deviation of one step's change. */
  step_std: number;
  /** Standard deviation of the change over the horizon. */
  change_std: number;
}

export interface GridNormalisation {
  variables: Record<string, GridVariableStats>;
}

export interface GridSampleSet {
  /** Frame index a of the last input of each sample. */
  anchors: Int32Array;
  /** [n, rows, cols, channels]. */
  x: Float32Array;
  /** [n, rows, cols, targets]. */
  y: Float32Array;
  /** Epoch ms of each target. */
  times: Float64Array;
}

export function gridLayout(seq: GridSequence, data: Pick<GridData, 'targets' | 'horizon'>, multiple: number): GridLayout {
  for (const [i, t] of data.targets.entries()) {
    if (!seq.names.includes(t)) throw new TerraError('INVALID_PARAMS', `targets[${i}]: "${t}" is not one of the variables (${seq.names.join(', ')})`, { field: `targets[${i}]` });
  }
  const advection = seq.names.includes('u') && seq.names.includes('v');
  const channels = [
    ...seq.names.flatMap((v) => [v, `${v}_step`]),
    ...(advection ? data.targets.map((t) => `${t}_advection`) : []),
    'mask',
    'row',
    'col',
    'hour_sin',
    'hour_cos',
  ];
  const up = (n: number) => Math.ceil(n / multiple) * multiple;
  return { variables: seq.names, targets: data.targets, horizon: data.horizon, advection, channels, rows: up(seq.ny), cols: up(seq.nx) };
}

/** Anchors per split; samples that need a frame without data are left out. */
export function gridSplits(seq: GridSequence, data: Pick<GridData, 'horizon' | 'splits'>): Record<SplitName, Int32Array> {
  const n = seq.times.length;
  const h = data.horizon;
  const { test_steps: test, validation_steps: validation } = data.splits;
  if (2 + h > n) {
    throw new TerraError('INVALID_PARAMS', `horizon: 2 input frames + horizon ${h} is longer than the series (${n} frames in ${Object.values(seq.files)[0]!.file})`, { field: 'horizon' });
  }
  const out: Record<SplitName, number[]> = { train: [], validation: [], test: [] };
  for (let a = 1; a + h < n; a++) {
    if (!seq.frameOk[a - 1] || !seq.frameOk[a] || !seq.frameOk[a + h]) continue;
    const target = a + h;
    out[target >= n - test ? 'test' : target >= n - test - validation ? 'validation' : 'train'].push(a);
  }
  for (const name of ['train', 'validation', 'test'] as const) {
    if (out[name].length === 0) {
      const field = name === 'train' ? 'splits' : `splits.${name}_steps`;
      throw new TerraError('INVALID_PARAMS', `${field}: no complete ${name} sample among ${n} frames (${test} test and ${validation} validation steps held out, horizon ${h})`, { field });
    }
  }
  return { train: Int32Array.from(out.train), validation: Int32Array.from(out.validation), test: Int32Array.from(out.test) };
}

export function gridNormalisation(seq: GridSequence, layout: GridLayout, train: Int32Array): GridNormalisation {
  const cells = seq.nx * seq.ny;
  const used = [...new Set([...train].flatMap((a) => [a - 1, a, a + layout.horizon]))].sort((p, q) => p - q);
  const masked = (f: Float32Array) => f.filter((_, k) => seq.mask[k] === 1);
  const diff = (a: Float32Array, b: Float32Array) => Float32Array.from({ length: cells }, (_, k) => a[k]! - b[k]!).filter((_, k) => seq.mask[k] === 1);
  const variables: Record<string, GridVariableStats> = {};
  for (const v of layout.variables) {
    const fr = seq.frames[v]!;
    const value = meanStd(used.map((i) => masked(fr[i]!)));
    const step = meanStd([...train].map((a) => diff(fr[a]!, fr[a - 1]!)));
    const change = meanStd([...train].map((a) => diff(fr[a + layout.horizon]!, fr[a]!)));
    variables[v] = { ...value, step_std: step.std, change_std: change.std };
  }
  return { variables };
}

/** Cell spacing in metres per row (x) and overall (y): degrees scale with latitude. */
function spacing(seq: GridSequence): { dx: Float64Array; dy: number } {
  const g = seq.georef;
  if (!isGeographicCrs(g.crs)) return { dx: new Float64Array(seq.ny).fill(g.dxMetres), dy: g.dyMetres };
  const m = 111_320;
  return { dx: Float64Array.from({ length: seq.ny }, (_, r) => g.dx * m * Math.cos(((g.y0 - (r + 0.5) * g.dy) * Math.PI) / 180)), dy: g.dy * m };
}

export function buildGridSamples(seq: GridSequence, layout: GridLayout, norm: GridNormalisation, anchors: Int32Array): GridSampleSet {
  const { nx, ny, mask } = seq;
  const { rows, cols, channels, targets, horizon } = layout;
  const C = channels.length;
  const T = targets.length;
  const n = anchors.length;
  const x = new Float32Array(n * rows * cols * C);
  const y = new Float32Array(n * rows * cols * T);
  const times = new Float64Array(n);
  const { dx, dy } = spacing(seq);
  const seconds = (horizon * seq.stepMs) / 1000;
  const valid = (r: number, c: number) => r >= 0 && r < ny && c >= 0 && c < nx && mask[r * nx + c] === 1;
  /** Centred difference of f at (r, c) along a step, one-sided at the mask's edge, 0 without neighbours. */
  const derivative = (f: Float32Array, r: number, c: number, dr: number, dc: number, h: number) => {
    const fwd = valid(r + dr, c + dc);
    const back = valid(r - dr, c - dc);
    if (fwd && back) return (f[(r + dr) * nx + c + dc]! - f[(r - dr) * nx + c - dc]!) / (2 * h);
    if (fwd) return (f[(r + dr) * nx + c + dc]! - f[r * nx + c]!) / h;
    if (back) return (f[r * nx + c]! - f[(r - dr) * nx + c - dc]!) / h;
    return 0;
  };
  for (let i = 0; i < n; i++) {
    const a = anchors[i]!;
    const t = seq.times[a + horizon]!;
    times[i] = t;
    const hour = (2 * Math.PI * ((t / 3_600_000) % 24)) / 24;
    const u = layout.advection ? seq.frames.u![a]! : null;
    const v = layout.advection ? seq.frames.v![a]! : null;
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const k = r * nx + c;
        if (!mask[k]) continue;
        let o = ((i * rows + r) * cols + c) * C;
        for (const name of layout.variables) {
          const s = norm.variables[name]!;
          const fr = seq.frames[name]!;
          x[o++] = (fr[a]![k]! - s.mean) / s.std;
          x[o++] = (fr[a]![k]! - fr[a - 1]![k]!) / s.step_std;
        }
        if (u && v) {
          for (const name of targets) {
            const f = seq.frames[name]![a]!;
            // Row 0 is north: +Y is a row up.
            const adv = -(u[k]! * derivative(f, r, c, 0, 1, dx[r]!) + v[k]! * derivative(f, r, c, -1, 0, dy)) * seconds;
            x[o++] = adv / norm.variables[name]!.change_std;
          }
        }
        x[o++] = 1;
        x[o++] = ny > 1 ? (2 * r) / (ny - 1) - 1 : 0;
        x[o++] = nx > 1 ? (2 * c) / (nx - 1) - 1 : 0;
        x[o++] = Math.sin(hour);
        x[o] = Math.cos(hour);
        const oy = ((i * rows + r) * cols + c) * T;
        targets.forEach((name, j) => {
          const fr = seq.frames[name]!;
          y[oy + j] = (fr[a + horizon]![k]! - fr[a]![k]!) / norm.variables[name]!.change_std;
        });
      }
    }
  }
  return { anchors, x, y, times };
}

/** The loss weights: 1 on masked-in cells of the padded grid, [rows, cols, 1]. */
export function paddedMask(seq: GridSequence, layout: GridLayout): Float32Array {
  const out = new Float32Array(layout.rows * layout.cols);
  for (let r = 0; r < seq.ny; r++) for (let c = 0; c < seq.nx; c++) out[r * layout.cols + c] = seq.mask[r * seq.nx + c]!;
  return out;
}

export interface GridForecasts {
  /** Per target: [n, ny * nx] in the file's units; NaN off the mask. */
  observed: Float32Array[];
  model: Float32Array[];
  persistence: Float32Array[];
  /** x_a + (x_a - x_{a-1}) h: the last step's trend carried on. */
  trend: Float32Array[];
}

/** Network outputs [n, rows, cols, targets] back to fields, with the references beside them. */
export function decodeGridForecasts(seq: GridSequence, layout: GridLayout, norm: GridNormalisation, set: GridSampleSet, out: Float32Array): GridForecasts {
  const { nx, ny, mask } = seq;
  const cells = nx * ny;
  const n = set.anchors.length;
  const T = layout.targets.length;
  const make = () => layout.targets.map(() => new Float32Array(n * cells).fill(NaN));
  const f: GridForecasts = { observed: make(), model: make(), persistence: make(), trend: make() };
  layout.targets.forEach((name, j) => {
    const fr = seq.frames[name]!;
    const std = norm.variables[name]!.change_std;
    for (let i = 0; i < n; i++) {
      const a = set.anchors[i]!;
      for (let k = 0; k < cells; k++) {
        if (!mask[k]) continue;
        const r = Math.floor(k / nx);
        const c = k % nx;
        const last = fr[a]![k]!;
        const o = i * cells + k;
        f.observed[j]![o] = fr[a + layout.horizon]![k]!;
        f.persistence[j]![o] = last;
        f.trend[j]![o] = last + (last - fr[a - 1]![k]!) * layout.horizon;
        f.model[j]![o] = last + out[((i * layout.rows + r) * layout.cols + c) * T + j]! * std;
      }
    }
  });
  return f;
}
