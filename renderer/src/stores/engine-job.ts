/**
 * One engine job at a time for a store (a flood run, a weather load): its
 * phase, progress and error, and the cancel that goes with them. A job's
 * progress and outcome count only while it is the store's current one: once
 * another has started, or the store dropped it (another site opened), a late
 * answer from it changes nothing.
 */
import { ref, shallowRef } from 'vue';
import { TerraError, type ErrorCode, type JobProgress } from '@api';

export type JobPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** @param waiting the progress message until the engine's first report (in the page's language) */
export function engineJob(waiting: () => string) {
  const phase = ref<JobPhase>('idle');
  const progress = shallowRef<{ fraction: number | null; message: string } | null>(null);
  const error = shallowRef<{ code: ErrorCode; message: string } | null>(null);
  let controller: AbortController | null = null;

  /**
   * Runs `work` as the current job, with its abort signal and a progress
   * callback; `onProgress` sees each report and `onDone` the result, while
   * the job is still current. Cancelled, the phase says so; failed, the
   * error says why.
   */
  async function run<T>(
    work: (signal: AbortSignal, onProgress: (p: JobProgress) => void) => Promise<T>,
    onDone: (result: T) => void,
    onProgress?: (p: JobProgress) => void,
  ): Promise<void> {
    const mine = new AbortController();
    controller = mine;
    const current = () => controller === mine;
    error.value = null;
    phase.value = 'running';
    progress.value = { fraction: 0, message: waiting() };
    try {
      const result = await work(mine.signal, (p) => {
        if (!current()) return;
        progress.value = { fraction: p.fraction, message: p.message };
        onProgress?.(p);
      });
      if (!current()) return;
      onDone(result);
      phase.value = 'done';
    } catch (err) {
      if (!current()) return;
      const e = err instanceof TerraError ? err : TerraError.wrap(err);
      phase.value = e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      if (e.code !== 'CANCELLED') error.value = { code: e.code, message: e.message };
    } finally {
      if (current()) {
        controller = null;
        progress.value = null;
      }
    }
  }

  /** Asks the job under way to stop; what it sent so far stays the store's. */
  function cancel(): void {
    controller?.abort();
  }

  /** Stops the job under way and forgets it (its late answers are dropped); back to idle. */
  function drop(): void {
    const running = controller;
    controller = null;
    running?.abort();
    progress.value = null;
    reset();
  }

  /** Idle, with no error (the job's data is the store's to clear). */
  function reset(): void {
    error.value = null;
    phase.value = 'idle';
  }

  return { phase, progress, error, run, cancel, drop, reset };
}
