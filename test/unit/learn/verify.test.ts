// Confidence from the trained forcing range, and "verify with physics": the
// solver re-run from the model folder alone must reproduce the dataset's own
// max-depth field for that scenario (same DEM, settings and solver), and the
// surrogate is scored against it.
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../../src/learn/dataset/build';
import { rainFamilySchema } from '../../../src/learn/dataset/family';
import { loadDataset } from '../../../src/learn/dataset/load';
import { fieldScores } from '../../../src/learn/evaluate';
import { learnConfigSchema } from '../../../src/learn/models/config';
import { Surrogate } from '../../../src/learn/predict';
import { train } from '../../../src/learn/train/trainer';
import { forcingConfidence, verifyWithPhysics } from '../../../src/learn/verify';
import { tempDir, valleyDem } from './fixtures';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('confidence of a surrogate answer', () => {
  const meta = { trained_on: { intensity_mm_h: [10, 40] as [number, number], duration_min: [15, 60] as [number, number] } };
  it('is high inside the trained range and low outside, by the distance in log space', () => {
    expect(forcingConfidence(meta, { intensity_mm_h: 20, duration_min: 30 })).toMatchObject({ level: 'high', beyond: { intensity: 0, duration: 0 } });
    const out = forcingConfidence(meta, { intensity_mm_h: 80, duration_min: 30 });
    expect(out.level).toBe('low');
    // log(80/40) / log(40/10) = 0.5 of the range's width beyond it
    expect(out.beyond.intensity).toBeCloseTo(0.5, 12);
    expect(out.message).toMatch(/outside the trained range \(10-40 mm\/h, 15-60 min\)/);
    expect(forcingConfidence(meta, { intensity_mm_h: 20, duration_min: 7.5 }).beyond.duration).toBeCloseTo(0.5, 12);
  });
});

describe('verify with physics', () => {
  it('re-runs the solver from the model folder alone, reproducing the dataset field, and scores the surrogate', async () => {
    const dataDir = await tempDir();
    const modelDir = await tempDir();
    dirs.push(dataDir, modelDir);
    const family = rainFamilySchema.parse({ scenarios: 6, seed: 5, intensity_mm_h: [20, 80], duration_min: [0.5, 1], tail_min: 0.25, manning: 0.04, solver: { threads: 1 } });
    await buildDataset({ dem: valleyDem(12, 10), demSource: 'valley', family, outDir: dataDir, terraVersion: 't' });
    const dataset = await loadDataset(dataDir);
    const config = learnConfigSchema.parse({ model: { kind: 'mlp', hidden: [8] }, training: { patch_size: 8, batch_size: 2, batches_per_epoch: 2, epochs: 2, seed: 3 } });
    await train({ dataset, config, outDir: modelDir, terraVersion: 't', backend: 'cpu' });

    const surrogate = await Surrogate.load(modelDir);
    expect(surrogate.saved.meta.simulation).toEqual({ scheme: 'fv', cfl: 0.9, manning: 0.04, tail_min: 0.25 });
    const test = dataset.scenarios.find((s) => s.split === 'test')!;
    const v = await verifyWithPhysics(surrogate, test, 2);
    // two threads now, one when the dataset was built: the solver's results do not depend on it
    expect(Array.from(v.physics.maxDepth)).toEqual(Array.from(dataset.targets.get(test.id)!));
    expect(v.physics.massErrorRel).toBeLessThan(1e-9);
    expect(v.scores).toEqual(fieldScores(dataset.targets.get(test.id)!, await surrogate.predict(test), 0.05));
    surrogate.dispose();
  }, 120_000);
});
