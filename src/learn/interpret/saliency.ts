/**
 * Saliency of field models (Simonyan et al. 2014): the gradient of one
 * chosen output with respect to every input channel at every cell, by
 * automatic differentiation (tf.valueAndGrad). For a flood surrogate the
 * output is the predicted max depth in metres, summed over the cells within
 * `radius` of a chosen cell, so the gradient reads "metres of depth there
 * per unit change of this channel here" (channels are normalised, so a unit
 * is one training standard deviation). It goes through the whole
 * prediction: the network, the response-surface baseline added to its
 * output (also an input channel), and the square of the sqrt encoding.
 * Cells below the 5 cm threshold with a negative square root are dry and
 * have no gradient; choose a wet cell.
 *
 * A per-cell network (MLP) sees one cell: its saliency is zero elsewhere by
 * construction. A U-Net sees a neighbourhood: where its saliency falls, and
 * whether uphill of the cell, is what the maps show.
 */
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import type { Georeference } from '../../api/types';
import { forcingVector } from '../dataset/family';
import { FieldInputs } from '../inputs';
import { sizeMultiple } from '../models/config';
import { fillDepressions } from '../terrain/fill';
import { d8 } from '../terrain/flow';
import type { DemGrid } from '../terrain/grid';
import type { SavedModel } from '../models/store';

/** The input gradient of objective(model(x)) at x, [1, H, W, C], and the objective's value. */
export function inputGradient(tf: typeof Tf, model: Tf.LayersModel, x: Tf.Tensor4D, objective: (y: Tf.Tensor4D, x: Tf.Tensor4D) => Tf.Scalar): { value: number; grad: Float32Array } {
  const f = (input: Tf.Tensor) => objective(model.apply(input, { training: false }) as Tf.Tensor4D, input as Tf.Tensor4D);
  const { value, grad } = tf.tidy(() => tf.valueAndGrad(f)(x));
  try {
    return { value: value.dataSync()[0]!, grad: grad.dataSync() as Float32Array };
  } finally {
    tf.dispose([value, grad]);
  }
}

export interface SaliencyTarget {
  row: number;
  col: number;
  /** Cells within this Chebyshev distance of (row, col) are summed (0: the cell alone). */
  radius: number;
}

export interface ChannelSaliency {
  name: string;
  /** d output / d input per grid cell, row-major (metres per normalised unit). */
  gradient: Float32Array;
  /** Sum of |gradient| over the grid. */
  total: number;
  /** Share of the sum over all channels. */
  share: number;
}

export interface Locality {
  /** Cells with any gradient (the network's view of the target) and the farthest of them (Chebyshev, cells). */
  support: { cells: number; max_distance: number };
  /** Share of the summed |gradient| within each distance of the target cell, beside the share of support cells there. */
  within: { cells: number; saliency_share: number; cell_share: number }[];
  /** Cells higher than the target cell. */
  higher: SubsetShare | null;
  /** Cells whose D8 flow path (on the filled DEM) passes through the target cell: its catchment. */
  upstream: SubsetShare | null;
}

/**
 * A set of cells' share of the saliency, beside the share it would get if
 * saliency depended on distance alone (each ring of cells around the target
 * split between the set and the rest by their counts): a share above the
 * expected one means the network looks at the set more than at other cells
 * as near.
 */
export interface SubsetShare {
  cells: number;
  saliency_share: number;
  expected_share: number;
}

export interface SaliencyResult {
  georef: Georeference;
  scenario: { intensity_mm_h: number; duration_min: number };
  target: SaliencyTarget;
  /** Predicted max depth summed over the target cells (m). */
  depth_m: number;
  channels: ChannelSaliency[];
  /** Per cell, the root sum of squares over channels. */
  total: Float32Array;
  /** Every channel, the target cell included (the baseline reaches it directly). */
  all: Locality;
  /** The terrain channels (static, not the response surface), the target cell left out: where the network looks. */
  terrain: Locality;
}

const DISTANCES = [0, 1, 2, 4, 8, 16, 32, 64];

/**
 * Saliency of a loaded flood surrogate (models/store.ts) for one scenario.
 * Uses the network and the statistics saved with it; prediction matches
 * Surrogate.predict (predict.ts) on every cell the network is run on.
 */
export function surrogateSaliency(tf: typeof Tf, saved: SavedModel, scenario: { intensity_mm_h: number; duration_min: number }, target: SaliencyTarget): SaliencyResult {
  const { meta, stats } = saved;
  const { nx, ny } = meta.grid;
  const bad = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${field}: ${problem}`, { field });
  if (!Number.isInteger(target.row) || target.row < 0 || target.row >= ny) throw bad('cell', `row ${target.row} outside the grid (rows 0-${ny - 1}, 0 north)`);
  if (!Number.isInteger(target.col) || target.col < 0 || target.col >= nx) throw bad('cell', `column ${target.col} outside the grid (columns 0-${nx - 1})`);
  if (!Number.isInteger(target.radius) || target.radius < 0) throw bad('radius', `${target.radius}: a whole number of cells >= 0`);
  const inputs = new FieldInputs(saved.static, nx, ny, meta.inputs, stats);
  const scen = inputs.scenario(forcingVector(scenario));
  const field = inputs.field(sizeMultiple(meta.config.model));
  inputs.writeScenario(field, scen);
  const { height, width } = field;
  const c = inputs.channels;
  // Weights of the target cells on the padded field.
  const mask = new Float32Array(height * width);
  for (let r = Math.max(0, target.row - target.radius); r <= Math.min(ny - 1, target.row + target.radius); r++) {
    for (let q = Math.max(0, target.col - target.radius); q <= Math.min(nx - 1, target.col + target.radius); q++) mask[r * width + q] = 1;
  }
  const { mean, std } = stats.target;
  const maskT = tf.tensor4d(mask, [1, height, width, 1]);
  const x = tf.tensor4d(field.data, [1, height, width, c]);
  let result: { value: number; grad: Float32Array };
  try {
    result = inputGradient(tf, saved.model, x, (y, input) => {
      // Depth = (relu(encoded) ^ 2) with encoded = (network + baseline channel) * std + mean, as decodeTarget does.
      const baseline = input.slice([0, 0, 0, c - 1], [1, height, width, 1]);
      const s = y.add(baseline).mul(std).add(mean).relu();
      return s.square().mul(maskT).sum() as Tf.Scalar;
    });
  } finally {
    tf.dispose([maskT, x]);
  }
  // Padding copies edge cells: their gradients add to the cell they copy.
  const names = [...meta.inputs.static, ...meta.inputs.forcing, 'response_surface'];
  const grads = names.map(() => new Float32Array(nx * ny));
  for (let o = 0; o < field.cells.length; o++) {
    const k = field.cells[o]!;
    for (let ch = 0; ch < c; ch++) grads[ch]![k]! += result.grad[o * c + ch]!;
  }
  const totals = grads.map((g) => g.reduce((s, v) => s + Math.abs(v), 0));
  const sum = totals.reduce((a, b) => a + b, 0);
  const channels = names.map((name, ch) => ({ name, gradient: grads[ch]!, total: totals[ch]!, share: sum > 0 ? totals[ch]! / sum : 0 }));
  const total = new Float32Array(nx * ny);
  for (const g of grads) for (let k = 0; k < total.length; k++) total[k]! += g[k]! ** 2;
  for (let k = 0; k < total.length; k++) total[k] = Math.sqrt(total[k]!);
  const terrainChannels = meta.inputs.static.map((n, i) => (n.startsWith('response') ? -1 : i)).filter((i) => i >= 0);
  return {
    georef: meta.grid,
    scenario,
    target,
    depth_m: result.value,
    channels,
    total,
    all: locality(grads, saved, target, false),
    terrain: locality(terrainChannels.map((i) => grads[i]!), saved, target, true),
  };
}

/** Where the saliency of `grads` lies relative to the target cell: by distance, on higher ground, in its catchment. */
function locality(grads: Float32Array[], saved: SavedModel, target: SaliencyTarget, skipTarget: boolean): Locality {
  const { nx, ny, dxMetres, dyMetres } = saved.meta.grid;
  const t = target.row * nx + target.col;
  const e = saved.meta.inputs.static.indexOf('elevation_m');
  const elevation = e >= 0 ? saved.static.subarray(e * nx * ny, (e + 1) * nx * ny) : null;
  const higher = elevation ? Uint8Array.from(elevation, (z) => (z > elevation[t]! ? 1 : 0)) : null;
  const upstream = elevation ? catchment({ nx, ny, dx: dxMetres, dy: dyMetres, z: elevation }, t) : null;
  // Per Chebyshev ring: summed |gradient|, cells, and both for each subset.
  const rings = Math.max(nx, ny);
  const ring = { saliency: new Float64Array(rings), cells: new Float64Array(rings) };
  const sub = [higher, upstream].map(() => ({ saliency: new Float64Array(rings), cells: new Float64Array(rings) }));
  let far = 0;
  for (let r = 0; r < ny; r++) {
    for (let q = 0; q < nx; q++) {
      const k = r * nx + q;
      if (skipTarget && k === t) continue;
      let a = 0;
      for (const g of grads) a += Math.abs(g[k]!);
      if (a === 0) continue;
      const d = Math.max(Math.abs(r - target.row), Math.abs(q - target.col));
      far = Math.max(far, d);
      ring.saliency[d]! += a;
      ring.cells[d]!++;
      [higher, upstream].forEach((mask, i) => {
        if (!mask?.[k]) return;
        sub[i]!.saliency[d]! += a;
        sub[i]!.cells[d]!++;
      });
    }
  }
  const sum = (a: Float64Array, upTo = rings - 1) => a.subarray(0, upTo + 1).reduce((x, y) => x + y, 0);
  const all = sum(ring.saliency);
  const cells = sum(ring.cells);
  const share = (a: number, b: number) => (b > 0 ? a / b : 0);
  const subset = (i: number): SubsetShare => {
    let expected = 0;
    for (let d = 0; d < rings; d++) if (ring.cells[d]! > 0) expected += (ring.saliency[d]! * sub[i]!.cells[d]!) / ring.cells[d]!;
    return { cells: sum(sub[i]!.cells), saliency_share: share(sum(sub[i]!.saliency), all), expected_share: share(expected, all) };
  };
  return {
    support: { cells, max_distance: far },
    within: DISTANCES.map((limit) => ({ cells: limit, saliency_share: share(sum(ring.saliency, limit), all), cell_share: share(sum(ring.cells, limit), cells) })),
    higher: higher ? subset(0) : null,
    upstream: upstream ? subset(1) : null,
  };
}

/** Cells draining through `target` (D8 on the depression-filled surface, as the terrain channels use). */
export function catchment(grid: DemGrid, target: number): Uint8Array {
  const { routing } = fillDepressions(grid);
  const { down, order } = d8(grid, routing);
  const inside = new Uint8Array(grid.nx * grid.ny);
  inside[target] = 1;
  // Downstream cells first, so each cell's receiver is settled before it.
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i]!;
    if (down[k]! >= 0 && inside[down[k]!]) inside[k] = 1;
  }
  return inside;
}
