/**
 * Trusting a surrogate's answer: how far a scenario lies from the storms it
 * was trained on (confidence), and "verify with physics": the flood solver
 * run on the same scenario, the same way the training storms were run, and
 * the surrogate scored against it.
 */
import { TerraError } from '../api/errors';
import { simulateMaxDepth, type SimulateOptions, type SimulationResult } from './dataset/simulate';
import { fieldScores, type Scores } from './evaluate';
import type { ModelMeta } from './models/store';
import type { Surrogate } from './predict';

export interface RainForcing {
  intensity_mm_h: number;
  duration_min: number;
}

export interface Confidence {
  /** high: inside the trained range; low: outside it (the surrogate extrapolates). */
  level: 'high' | 'low';
  /** How far beyond the trained range, as a fraction of the range's width in log space (0 inside), per forcing. */
  beyond: { intensity: number; duration: number };
  message: string;
}

/** Distance of a scenario from the training storms' range, in log intensity and log duration. */
export function forcingConfidence(meta: Pick<ModelMeta, 'trained_on'>, scenario: RainForcing): Confidence {
  const { intensity_mm_h: ri, duration_min: rd } = meta.trained_on;
  const beyond = (v: number, [lo, hi]: [number, number]) => {
    const [a, b, x] = [Math.log(lo), Math.log(hi), Math.log(v)];
    const width = Math.max(b - a, 1e-9);
    return Math.max(0, a - x, x - b) / width;
  };
  const out = { intensity: beyond(scenario.intensity_mm_h, ri), duration: beyond(scenario.duration_min, rd) };
  const inside = out.intensity === 0 && out.duration === 0;
  return {
    level: inside ? 'high' : 'low',
    beyond: out,
    message: inside
      ? `inside the trained range (${ri.join('-')} mm/h, ${rd.join('-')} min)`
      : `outside the trained range (${ri.join('-')} mm/h, ${rd.join('-')} min): the surrogate extrapolates; verify with physics`,
  };
}

export interface Verification {
  physics: SimulationResult;
  predicted: Float32Array;
  predict_ms: number;
  threshold_m: number;
  scores: Scores;
}

/** Runs the solver on the scenario over the model's own DEM and scores the surrogate's field against it. */
export async function verifyWithPhysics(surrogate: Surrogate, scenario: RainForcing, threads: number, options: SimulateOptions = {}, threshold = 0.05): Promise<Verification> {
  const { meta } = surrogate.saved;
  if (!meta.simulation) {
    throw new TerraError('INVALID_DATA', 'this model does not record how its training storms were simulated (trained by an older version): retrain it to verify with physics', {
      field: 'simulation',
    });
  }
  const { grid } = meta;
  const c = meta.inputs.static.indexOf('elevation_m');
  if (c < 0) throw new TerraError('INVALID_DATA', 'the model has no elevation_m static channel: cannot rebuild its DEM', { field: 'inputs.static' });
  const n = grid.nx * grid.ny;
  const bed = Float64Array.from(surrogate.saved.static.subarray(c * n, (c + 1) * n));
  const started = performance.now();
  const predicted = await surrogate.predict(scenario);
  const predictMs = performance.now() - started;
  const { scheme, cfl, manning, tail_min } = meta.simulation;
  const physics = await simulateMaxDepth(
    { nx: grid.nx, ny: grid.ny, dx: grid.dxMetres, dy: grid.dyMetres, bed },
    { ...scenario, simulated_min: scenario.duration_min + tail_min },
    { scheme, cfl, manning, threads },
    options,
  );
  return { physics, predicted, predict_ms: predictMs, threshold_m: threshold, scores: fieldScores(physics.maxDepth, predicted, threshold) };
}
