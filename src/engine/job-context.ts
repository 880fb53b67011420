/** What a handler gets besides its params: cancellation and a progress channel. */
import { TerraError } from '../api/errors';
import type { FieldFrame, JobProgress } from '../api/protocol';

export interface JobContext {
  readonly signal: AbortSignal;
  progress(fraction: number | null, message: string, frame?: FieldFrame): void;
  /** Throws CANCELLED if the client cancelled; call it between units of work. */
  throwIfCancelled(): void;
}

export function createJobContext(signal: AbortSignal, report: (p: JobProgress) => void, label: string): JobContext {
  return {
    signal,
    progress: (fraction, message, frame) => {
      if (signal.aborted) return;
      const clamped = fraction === null ? null : Math.min(1, Math.max(0, fraction));
      report(frame ? { fraction: clamped, message, frame } : { fraction: clamped, message });
    },
    throwIfCancelled: () => {
      if (signal.aborted) throw new TerraError('CANCELLED', `${label} was cancelled`);
    },
  };
}
