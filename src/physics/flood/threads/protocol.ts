/** What a flood worker is started with, and how a thread reports a failure. */
import type { ContextSpec } from '../context';
import type { Band } from '../grid';
import type { ControlBuffers, Control, FieldBuffers } from '../state';
import { CTL_ERROR } from '../state';
import { breakBarrier } from './barrier';

export interface WorkerInit {
  spec: ContextSpec;
  fields: FieldBuffers;
  control: ControlBuffers;
  band: Band;
}

/** Error flag values. */
export const ERROR_THREAD_FAILED = 1;
export const ERROR_SHUTDOWN = 2;

/** Records the first failure's text and wakes every thread. */
export function reportThreadError(control: Control, text: string): void {
  if (Atomics.compareExchange(control.ints, CTL_ERROR, 0, ERROR_THREAD_FAILED) === 0) {
    control.errorText.fill(0);
    new TextEncoder().encodeInto(text.slice(0, control.errorText.length / 4), control.errorText);
  }
  breakBarrier(control.ints, Atomics.load(control.ints, CTL_ERROR));
}

/** Wakes every thread and makes it leave (the solver is being disposed). */
export function shutdownThreads(control: Control): void {
  Atomics.compareExchange(control.ints, CTL_ERROR, 0, ERROR_SHUTDOWN);
  breakBarrier(control.ints, Atomics.load(control.ints, CTL_ERROR));
}

export function readThreadError(control: Control): string {
  const end = control.errorText.indexOf(0);
  return new TextDecoder().decode(control.errorText.slice(0, end < 0 ? undefined : end));
}
