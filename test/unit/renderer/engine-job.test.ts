/**
 * A store's engine job: its phase follows the outcome (done, cancelled,
 * failed with the engine's error), progress shows only while it runs, and a
 * job that was superseded or dropped changes nothing when it answers late.
 */
import { describe, expect, it } from 'vitest';
import { TerraError, type JobProgress } from '../../../src/api';
import { engineJob } from '../../../renderer/src/stores/engine-job';

/** A job the test finishes by hand, as the engine would. */
function pending<T>() {
  let report!: (p: JobProgress) => void;
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  let signal!: AbortSignal;
  const work = (s: AbortSignal, onProgress: (p: JobProgress) => void) => {
    signal = s;
    report = onProgress;
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
      // The engine answers an abort with CANCELLED.
      s.addEventListener('abort', () => rej(new TerraError('CANCELLED', 'cancelled')));
    });
  };
  return { work, report: (p: JobProgress) => report(p), resolve: (v: T) => resolve(v), reject: (e: unknown) => reject(e), signal: () => signal };
}

const waiting = () => 'waiting';

describe('engineJob', () => {
  it('runs to done, passing on progress and the result', async () => {
    const job = engineJob(waiting);
    const p = pending<number>();
    const seen: number[] = [];
    let result = 0;
    const running = job.run(p.work, (r) => (result = r), (q) => seen.push(q.fraction ?? -1));
    expect(job.phase.value).toBe('running');
    p.report({ fraction: 0.5, message: 'half' });
    expect(job.progress.value).toEqual({ fraction: 0.5, message: 'half' });
    p.resolve(42);
    await running;
    expect([job.phase.value, result, seen, job.progress.value]).toEqual(['done', 42, [0.5], null]);
  });

  it('ends cancelled without an error, and failed with the engine error', async () => {
    const job = engineJob(waiting);
    const a = pending<number>();
    const cancelled = job.run(a.work, () => {});
    job.cancel();
    await cancelled;
    expect([job.phase.value, job.error.value]).toEqual(['cancelled', null]);

    const b = pending<number>();
    const failed = job.run(b.work, () => {});
    b.reject(new TerraError('INVALID_PARAMS', 'rain: must be positive'));
    await failed;
    expect(job.phase.value).toBe('failed');
    expect(job.error.value).toEqual({ code: 'INVALID_PARAMS', message: 'rain: must be positive' });
  });

  it('ignores a dropped job and a superseded one when they answer late', async () => {
    const job = engineJob(waiting);
    const old = pending<number>();
    let results: number[] = [];
    const first = job.run(old.work, (r) => results.push(r));
    job.drop();
    expect([job.phase.value, job.progress.value, old.signal().aborted]).toEqual(['idle', null, true]);
    await first;
    expect([job.phase.value, results]).toEqual(['idle', []]);

    results = [];
    const a = pending<number>();
    const b = pending<number>();
    const runA = job.run(a.work, (r) => results.push(r));
    const runB = job.run(b.work, (r) => results.push(r));
    a.report({ fraction: 0.9, message: 'late' });
    a.resolve(1);
    await runA;
    expect([job.phase.value, job.progress.value?.message]).toEqual(['running', 'waiting']);
    b.resolve(2);
    await runB;
    expect([job.phase.value, results]).toEqual(['done', [2]]);
  });
});
