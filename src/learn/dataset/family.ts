/**
 * A family of rain scenarios on one DEM: uniform block rain of intensity I
 * for D minutes, simulated until D + tail minutes, open boundaries, uniform
 * Manning n. Members are drawn by Latin hypercube over (I, D) from a seed, so
 * a small ensemble still covers the parameter square evenly.
 */
import { z } from 'zod';
import { Rng } from '../rng';

const positive = z.number().refine((v) => Number.isFinite(v) && v > 0, 'a positive number');
const range = z.tuple([positive, positive]).refine(([lo, hi]) => lo <= hi, 'min must not exceed max');
const fraction = z.number().min(0).max(0.5);

export const rainFamilySchema = z.strictObject({
  scenarios: z.number().int().min(3).max(10_000),
  seed: z.number().int().min(0).default(1),
  intensity_mm_h: range,
  duration_min: range,
  /** Simulated time after the rain stops, for the flood wave to pass (min). */
  tail_min: z.number().min(0).default(15),
  manning: z.number().min(0).lt(1).default(0.05),
  split: z.strictObject({ validation: fraction, test: fraction }).default({ validation: 0.15, test: 0.15 }),
  solver: z
    .strictObject({
      scheme: z.enum(['fv', 'inertial']).default('fv'),
      cfl: z.number().gt(0).max(1).default(0.9),
      threads: z.number().int().min(1).max(64).optional(),
    })
    .default({ scheme: 'fv', cfl: 0.9 }),
  /** A window of the DEM (rows, columns from the north-west corner); default the whole grid. */
  crop: z
    .strictObject({ row: z.number().int().min(0), col: z.number().int().min(0), rows: z.number().int().min(8), cols: z.number().int().min(8) })
    .optional(),
});

export type RainFamily = z.infer<typeof rainFamilySchema>;
export type Split = 'train' | 'validation' | 'test';

export interface RainScenario {
  id: string;
  split: Split;
  intensity_mm_h: number;
  duration_min: number;
  simulated_min: number;
}

/** What the networks see of a scenario besides the terrain: logs, so products (rain depth x area) are sums. */
export const FORCING_CHANNELS = ['log_intensity', 'log_duration', 'log_rain_depth'] as const;

export function forcingVector(s: { intensity_mm_h: number; duration_min: number }): number[] {
  return [Math.log(s.intensity_mm_h), Math.log(s.duration_min), Math.log((s.intensity_mm_h * s.duration_min) / 60)];
}

/**
 * The family's members with their split, the same for the same family (seed
 * included). Members holding the smallest or largest intensity or duration
 * always train, so held-out members lie inside the trained range: the
 * surrogate is scored on interpolation, which is what it is for.
 */
export function sampleScenarios(family: RainFamily): RainScenario[] {
  const n = family.scenarios;
  const rng = new Rng(family.seed);
  const strata = () => rng.shuffle([...Array(n).keys()]);
  const [iStrata, dStrata] = [strata(), strata()];
  const at = ([lo, hi]: [number, number], stratum: number) => lo + ((stratum + rng.next()) / n) * (hi - lo);
  const round = (v: number) => Math.round(v * 100) / 100;
  const members = Array.from({ length: n }, (_, k) => {
    const duration = round(at(family.duration_min, dStrata[k]!));
    return {
      id: `s${String(k).padStart(4, '0')}`,
      split: 'train' as Split,
      intensity_mm_h: round(at(family.intensity_mm_h, iStrata[k]!)),
      duration_min: duration,
      simulated_min: round(duration + family.tail_min),
    };
  });
  const extremes = new Set([iStrata.indexOf(0), iStrata.indexOf(n - 1), dStrata.indexOf(0), dStrata.indexOf(n - 1)]);
  const pool = rng.shuffle(members.filter((_, k) => !extremes.has(k)));
  const count = (f: number) => (f > 0 ? Math.max(1, Math.round(f * n)) : 0);
  const [nVal, nTest] = [count(family.split.validation), count(family.split.test)];
  if (nVal + nTest > pool.length) throw new Error(`${n} scenarios are too few to hold out ${nVal} for validation and ${nTest} for test`);
  pool.slice(0, nVal).forEach((m) => (m.split = 'validation'));
  pool.slice(nVal, nVal + nTest).forEach((m) => (m.split = 'test'));
  return members;
}
