import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { loadDataset, type Dataset } from '../../../src/learn/dataset/load';
import { evaluateSurrogate } from '../../../src/learn/evaluate';
import { learnConfigSchema, type LearnConfig } from '../../../src/learn/models/config';
import * as tf from '@tensorflow/tfjs';
import { forcingVector } from '../../../src/learn/dataset/family';
import { FieldPredictor, Surrogate } from '../../../src/learn/predict';
import { REACH_DEPTH_M, reachCells } from '../../../src/learn/reach';
import { decodeTarget } from '../../../src/learn/target';
import { train, type TrainEvent } from '../../../src/learn/train/trainer';
import { tempDir, writeSyntheticDataset } from './fixtures';

let dataDir: string;
let dataset: Dataset;
const dirs: string[] = [];

beforeAll(async () => {
  dataDir = await tempDir();
  await writeSyntheticDataset(dataDir);
  dataset = await loadDataset(dataDir);
});

afterAll(async () => {
  for (const d of [dataDir, ...dirs]) await rm(d, { recursive: true, force: true });
});

const config = (training: object = {}, model: object = { kind: 'mlp', hidden: [8, 8] }): LearnConfig =>
  learnConfigSchema.parse({
    model,
    training: { patch_size: 8, batch_size: 2, batches_per_epoch: 3, epochs: 3, learning_rate: 1e-2, schedule: { type: 'constant' }, seed: 4, ...training },
  });

const outDir = async () => {
  const d = await tempDir();
  dirs.push(d);
  return d;
};

const run = (out: string, c: LearnConfig, extra: Partial<Parameters<typeof train>[0]> = {}) =>
  train({ dataset, config: c, outDir: out, terraVersion: 'test', backend: 'cpu', ...extra });

describe('training a surrogate', () => {
  it('reports progress, learns, and saves a model folder that reloads to the same scores', async () => {
    const out = await outDir();
    const events: TrainEvent[] = [];
    const result = await run(out, config({ epochs: 4, batches_per_epoch: 6 }), { onEvent: (e) => events.push(e) });
    expect(result.status).toBe('completed');
    expect(events[0]).toMatchObject({ type: 'backend', report: { backend: 'cpu' } });
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches).toHaveLength(24);
    for (const b of batches) expect(b.samplesPerS).toBeGreaterThan(0);
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.record] : []));
    expect(epochs.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(epochs.at(-1)!.val_loss).toBeLessThan(epochs[0]!.val_loss);

    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    const provenance = JSON.parse(await readFile(join(out, 'provenance.json'), 'utf8'));
    expect(provenance.scenarios.test).toEqual(['s4']);
    expect(provenance.backend).toBe('cpu');
    const surrogate = await Surrogate.load(out);
    const again = await evaluateSurrogate(surrogate, dataset, 'validation');
    expect(again.pooled.rmse_m).toBeCloseTo(metrics.validation.pooled.rmse_m, 6);
    expect(again.pooled.nse).toBeCloseTo(metrics.validation.pooled.nse, 6);
    const depth = await surrogate.predict({ intensity_mm_h: 30, duration_min: 15 });
    expect(depth).toHaveLength(256);
    expect(depth.every((d) => d >= 0 && Number.isFinite(d))).toBe(true);
    surrogate.dispose();
  });

  it('evaluates a per-cell network on the reach only: the same values there, the baseline elsewhere', async () => {
    const out = await outDir();
    await run(out, config({ epochs: 2, batches_per_epoch: 3 }));
    const surrogate = await Surrogate.load(out);
    const { reach, meta } = surrogate.saved;
    const trainTargets = dataset.scenarios.filter((s) => s.split === 'train').map((s) => dataset.targets.get(s.id)!);
    expect(Array.from(reach!)).toEqual(Array.from(reachCells(trainTargets, dataset.nx * dataset.ny)));
    expect(meta.reach).toEqual({ depth_m: REACH_DEPTH_M, cells: reach!.length });
    expect(reach!.length).toBeGreaterThan(0);
    expect(reach!.length).toBeLessThan(dataset.nx * dataset.ny);

    const scenario = { intensity_mm_h: 30, duration_min: 15 };
    const whole = new FieldPredictor(tf, surrogate.saved.model, surrogate.inputs, 1);
    const field = await whole.residual(surrogate.inputs.scenario(forcingVector(scenario)));
    const baseline = surrogate.baseline(scenario);
    const full = decodeTarget(field.map((r, k) => r + surrogate.inputs.scenario(forcingVector(scenario)).baseline[k]!), surrogate.stats.target);
    const depth = await surrogate.predict(scenario);
    const inReach = new Set(reach);
    for (let k = 0; k < depth.length; k++) {
      if (inReach.has(k)) expect(Math.abs(depth[k]! - full[k]!)).toBeLessThan(1e-6);
      else expect(depth[k]).toBe(baseline[k]);
    }
    surrogate.dispose();
  });

  it('trains a U-Net too', async () => {
    const out = await outDir();
    const result = await run(out, config({ epochs: 1 }, { kind: 'unet', widths: [4, 4], convs_per_level: 1 }));
    expect(result.status).toBe('completed');
    expect(result.validation!.scenarios).toHaveLength(1);
  });

  it('resumes a cancelled job exactly where it stopped', async () => {
    const straight = await outDir();
    const events: TrainEvent[] = [];
    await run(straight, config(), { onEvent: (e) => events.push(e) });
    const stopped = await outDir();
    const controller = new AbortController();
    const first = await run(stopped, config(), { signal: controller.signal, onEvent: (e) => e.type === 'epoch' && e.record.epoch === 2 && controller.abort() });
    expect(first).toMatchObject({ status: 'cancelled', epochs: 2 });
    await expect(readFile(join(stopped, 'terra-model.json'))).rejects.toThrow();
    await expect(run(stopped, config())).rejects.toThrow(/a checkpoint is there already/);
    const resumed: TrainEvent[] = [];
    const second = await run(stopped, config(), { resume: true, onEvent: (e) => resumed.push(e) });
    expect(second.status).toBe('completed');
    expect(resumed).toContainEqual({ type: 'resumed', epoch: 2 });
    const loss = (list: TrainEvent[]) => list.flatMap((e) => (e.type === 'epoch' ? [e.record.val_loss] : []));
    expect(loss(resumed)).toEqual([loss(events)[2]]);
    expect(await readFile(join(stopped, 'weights.bin'))).toEqual(await readFile(join(straight, 'weights.bin')));
  });

  it('stops with a clear error when the loss stops being finite, keeping the last checkpoint', async () => {
    const out = await outDir();
    await run(out, config({ epochs: 1 }));
    const before = await readFile(join(out, 'checkpoint', 'checkpoint.json'), 'utf8');
    // Targets that went bad after loading (the loader refuses NaN in files): every batch sees NaN.
    const poisoned: Dataset = { ...dataset, targets: new Map([...dataset.targets].map(([id, t]) => [id, t.map(() => NaN)])) };
    const err = await run(out, config({ epochs: 2 }), { dataset: poisoned, resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).message).toMatch(/training diverged: loss NaN at epoch 2, batch 1.*the checkpoint of epoch 1 .* is kept/);
    expect(await readFile(join(out, 'checkpoint', 'checkpoint.json'), 'utf8')).toBe(before);
    const ok = await run(out, config({ epochs: 2 }), { resume: true });
    expect(ok).toMatchObject({ status: 'completed', epochs: 2 });
  });

  it('refuses to resume a checkpoint of another network', async () => {
    const out = await outDir();
    await run(out, config({ epochs: 1 }));
    await expect(run(out, config({ epochs: 2 }, { kind: 'mlp', hidden: [8, 4] }), { resume: true })).rejects.toThrow(/checkpoint\.json: model: the checkpoint was made with another network/);
  });

  it('refuses patch sizes the U-Net cannot take', async () => {
    await expect(run(await outDir(), config({ patch_size: 6 }, { kind: 'unet', widths: [4, 4, 4] }))).rejects.toThrow(/training\.patch_size: 6 must be a multiple of 4/);
  });
});

describe('loading a model folder: clear errors', () => {
  let good: string;
  beforeAll(async () => {
    good = await outDir();
    await run(good, config({ epochs: 1 }));
  });

  const editAndLoad = async (file: string, edit: (json: Record<string, unknown>) => void) => {
    const path = join(good, file);
    const original = await readFile(path, 'utf8');
    const json = JSON.parse(original);
    edit(json);
    await writeFile(path, JSON.stringify(json));
    const err = await Surrogate.load(good).catch((e: unknown) => e);
    await writeFile(path, original);
    return err as TerraError;
  };

  it('from an incompatible version', async () => {
    const err = await editAndLoad('terra-model.json', (j) => (j.version = 2));
    expect(err.message).toMatch(/terra-model\.json: version: model format version 2; this Terra Twin reads version 1/);
  });

  it('whose channels do not match the network', async () => {
    const err = await editAndLoad('terra-model.json', (j) => (j.inputs as { forcing: string[] }).forcing.pop());
    expect(err.message).toMatch(/model\.json: modelTopology: the network takes 15 input channels but terra-model\.json lists 14/);
  });

  it('without normalisation statistics for a channel', async () => {
    const err = await editAndLoad('normalisation.json', (j) => delete (j.inputs as Record<string, unknown>).log_slope);
    expect(err.message).toMatch(/normalisation\.json: inputs\.log_slope: no statistics/);
  });

  it('rejects NaN forcing at prediction', async () => {
    const s = await Surrogate.load(good);
    await expect(s.predict({ intensity_mm_h: NaN, duration_min: 10 })).rejects.toThrow(/forcing: log_intensity is NaN/);
    s.dispose();
  });
});
