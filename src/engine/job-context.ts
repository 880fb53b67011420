/** What a handler gets besides its params: cancellation and a progress channel. */
import { TerraError } from '../api/errors';
import type { FieldFrame, JobProgress } from '../api/protocol';
import type { TrainingPoint } from '../api/learn-types';
import type { JobStep } from '../api/types';

export interface JobContext {
  readonly signal: AbortSignal;
  progress(fraction: number | null, message: string, frame?: FieldFrame, step?: JobStep, training?: TrainingPoint): void;
  /** Throws CANCELLED if the client cancelled; call it between units of work. */
  throwIfCancelled(): void;
  /**
   * The point of no return (e.g. a project manifest about to be written):
   * from here the job completes and reports its real outcome, and a cancel
   * that arrives later is ignored rather than reported as CANCELLED.
   */
  commit(): void;
  readonly committed: boolean;
}

export function createJobContext(signal: AbortSignal, report: (p: JobProgress) => void, label: string): JobContext {
  let committed = false;
  return {
    signal,
    get committed() {
      return committed;
    },
    commit: () => {
      committed = true;
    },
    progress: (fraction, message, frame, step, training) => {
      if (signal.aborted) return;
      const clamped = fraction === null ? null : Math.min(1, Math.max(0, fraction));
      const progress: JobProgress = { fraction: clamped, message };
      if (frame) progress.frame = frame;
      if (step) progress.step = step;
      if (training) progress.training = training;
      report(progress);
    },
    throwIfCancelled: () => {
      if (signal.aborted) throw new TerraError('CANCELLED', `${label} was cancelled`);
    },
  };
}
