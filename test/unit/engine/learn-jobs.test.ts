// The learn.* engine jobs on a real window of Jacksboro: a storm dataset built and resumed, a
// surrogate trained with live losses, cancelled and resumed, listed, used on the site's grid and
// verified against the solver; bad requests refused naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TerraError, type TrainingPoint } from '../../../src/api';
import { inProcessClient } from './in-process-client';

const projectDir = mkdtempSync(join(tmpdir(), 'terra-learn-jobs-'));
afterAll(() => rmSync(projectDir, { recursive: true, force: true }));

/** A 40 x 32 window of Jacksboro where storms pond; short storms so the solver takes well under a second each. */
const crop = { row: 224, col: 352, rows: 32, cols: 40 };
const family = { scenarios: 7, intensity_mm_h: [30, 90] as [number, number], duration_min: [5, 12] as [number, number], tail_min: 3, crop };
const SITE = { nx: 403, ny: 344 };

async function rejection(p: Promise<unknown>): Promise<TerraError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  return err as TerraError;
}

describe('learn jobs', () => {
  const client = inProcessClient();

  it('builds a dataset with per-storm progress; cancelled builds keep finished storms and the same call resumes', { timeout: 120_000 }, async () => {
    const controller = new AbortController();
    const stormsDone = new Set<string>();
    const err = await rejection(
      client.call('learn.dataset', { projectDir, name: 'valley', site: 'jacksboro', ...family }, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step && p.step.fraction >= 1) stormsDone.add(p.step.item);
          if (stormsDone.size >= 2) controller.abort();
        },
      }),
    );
    expect(err.code).toBe('CANCELLED');
    const partial = await client.call('learn.list', { projectDir });
    expect(partial.datasets).toHaveLength(1);
    expect(partial.datasets[0]).toMatchObject({ name: 'valley', status: 'partial', scenarios: 7, site: 'jacksboro' });
    expect(partial.datasets[0]!.simulated).toBeGreaterThanOrEqual(2);

    const stages: string[] = [];
    const done = await client.call('learn.dataset', { projectDir, name: 'valley', site: 'jacksboro', ...family }, { onProgress: (p) => p.step && stages.push(p.step.stage) });
    expect(done).toMatchObject({ status: 'complete', scenarios: 7, simulated: 7, window: crop });
    expect(stages).toContain('reused');
    expect(stages).toContain('simulate');
  });

  it('trains with streamed batch losses and epoch records; cancel keeps a checkpoint that resume completes', { timeout: 180_000 }, async () => {
    const settings = { projectDir, name: 'mlp-a', dataset: 'valley', kind: 'mlp' as const, epochs: 3, batches_per_epoch: 6, batch_size: 4 };
    const controller = new AbortController();
    const points: TrainingPoint[] = [];
    const first = await client.call('learn.train', settings, {
      signal: controller.signal,
      onProgress: (p) => {
        if (!p.training) return;
        points.push(p.training);
        if (p.training.kind === 'epoch') controller.abort();
      },
    }).catch((e: TerraError) => e);
    // Cancelled after epoch 1: either reported as cancelled or as a result with status cancelled.
    if (!(first instanceof TerraError)) expect(first.status).toBe('cancelled');
    expect(points.some((p) => p.kind === 'batch' && Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
    const listed = await client.call('learn.list', { projectDir });
    expect(listed.models[0]).toMatchObject({ name: 'mlp-a', status: 'partial', epochs_done: 1, epochs: 3, dataset: 'valley', kind: 'mlp' });

    const epochs: number[] = [];
    const resumed = await client.call('learn.train', { projectDir, name: 'mlp-a', resume: true }, {
      onProgress: (p) => p.training?.kind === 'epoch' && epochs.push(p.training.record.epoch),
    });
    expect(epochs).toEqual([2, 3]);
    expect(resumed.status).toBe('completed');
    expect(resumed.model).toMatchObject({ status: 'complete', epochs_done: 3, window: crop, site: 'jacksboro' });
    expect(resumed.model.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumed.model.validation!.csi).toBeGreaterThanOrEqual(0);
    expect(resumed.model.validation!.csi).toBeLessThanOrEqual(1);
  });

  it('predicts on the site grid inside the trained window only, and verify scores it against the solver', { timeout: 120_000 }, async () => {
    const p = await client.call('learn.predict', { projectDir, model: 'mlp-a', site: 'jacksboro', intensity_mm_h: 60, duration_min: 10 });
    expect(p.depth).toBeInstanceOf(Float32Array);
    expect(p.depth.length).toBe(SITE.nx * SITE.ny);
    expect(p.window).toEqual(crop);
    let outside = 0;
    let inside = 0;
    for (let r = 0; r < SITE.ny; r++) {
      for (let c = 0; c < SITE.nx; c++) {
        const d = p.depth[r * SITE.nx + c]!;
        const within = r >= crop.row && r < crop.row + crop.rows && c >= crop.col && c < crop.col + crop.cols;
        if (within) inside = Math.max(inside, d);
        else outside = Math.max(outside, d);
      }
    }
    expect(outside).toBe(0);
    expect(inside).toBeCloseTo(p.max_depth_m, 6);
    expect(p.max_depth_m).toBeGreaterThan(0);
    expect(p.confidence.level).toBe('high');
    const far = await client.call('learn.predict', { projectDir, model: 'mlp-a', site: 'jacksboro', intensity_mm_h: 400, duration_min: 10 });
    expect(far.confidence.level).toBe('low');

    const v = await client.call('learn.verify', { projectDir, model: 'mlp-a', site: 'jacksboro', intensity_mm_h: 60, duration_min: 10 });
    expect(v.physics_depth.length).toBe(SITE.nx * SITE.ny);
    // The solver's field is the same storm as a dataset member would be: wet somewhere in the window, dry outside it.
    let physicsMax = 0;
    for (const d of v.physics_depth) physicsMax = Math.max(physicsMax, d);
    expect(physicsMax).toBeGreaterThan(0.01);
    expect(v.scores.csi).toBeGreaterThanOrEqual(0);
    expect(v.solver_wall_s).toBeGreaterThan(0);
    expect(v.speedup).toBeCloseTo((v.solver_wall_s * 1000) / v.predict_ms, 6);
  });

  it('refuses bad requests before any work, naming the field', async () => {
    expect((await rejection(client.call('learn.train', { projectDir, name: 'x' }))).details?.field).toBe('dataset');
    expect((await rejection(client.call('learn.train', { projectDir, name: 'mlp-a', dataset: 'valley' }))).details?.field).toBe('name');
    expect((await rejection(client.call('learn.train', { projectDir, name: 'y', dataset: 'nope' }))).details?.field).toBe('dataset');
    expect((await rejection(client.call('learn.predict', { projectDir, model: 'nope', site: 'jacksboro', intensity_mm_h: 10, duration_min: 10 }))).details?.field).toBe('model');
    expect((await rejection(client.call('learn.predict', { projectDir, model: 'mlp-a', site: 'olinda', intensity_mm_h: 10, duration_min: 10 }))).message).toMatch(/trained on another grid than olinda/);
    const crop = await rejection(client.call('learn.dataset', { projectDir, name: 'big', site: 'jacksboro', ...family, crop: { row: 300, col: 0, rows: 100, cols: 10 } }));
    expect(crop.details?.field).toBe('crop');
    const range = await rejection(client.call('learn.dataset', { projectDir, name: 'r', site: 'jacksboro', ...family, intensity_mm_h: [90, 30] }));
    expect(range.message).toMatch(/intensity_mm_h/);
  });
});
