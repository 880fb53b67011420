/**
 * A reusable barrier for the threads of one solver, on the shared control
 * block: a counter and a generation number (sense reversal). The last thread
 * to arrive resets the counter and bumps the generation; the others spin
 * briefly (bands finish close together) and then sleep in Atomics.wait.
 * Any thread that sees the control block's error flag set stops waiting and
 * throws, so one failing thread never leaves the others blocked.
 */
import { CTL_BARRIER_COUNT, CTL_BARRIER_GENERATION, CTL_ERROR } from '../state';

const SPINS = 20_000;
const WAIT_SLICE_MS = 200;

export class BarrierBroken extends Error {
  constructor(readonly reason: 'error' | 'timeout') {
    super(reason === 'error' ? 'another flood thread failed or the solver was disposed' : 'timed out waiting for a flood thread');
  }
}

/** Waits until `parties` threads have arrived. timeoutMs bounds the wait (Infinity: none). */
export function barrierWait(ints: Int32Array, parties: number, timeoutMs = Infinity): void {
  const generation = Atomics.load(ints, CTL_BARRIER_GENERATION);
  if (Atomics.add(ints, CTL_BARRIER_COUNT, 1) === parties - 1) {
    Atomics.store(ints, CTL_BARRIER_COUNT, 0);
    Atomics.add(ints, CTL_BARRIER_GENERATION, 1);
    Atomics.notify(ints, CTL_BARRIER_GENERATION);
    return;
  }
  for (let s = 0; s < SPINS; s++) {
    if (Atomics.load(ints, CTL_BARRIER_GENERATION) !== generation) return;
  }
  const start = Date.now();
  while (Atomics.load(ints, CTL_BARRIER_GENERATION) === generation) {
    if (Atomics.load(ints, CTL_ERROR) !== 0) throw new BarrierBroken('error');
    if (Date.now() - start > timeoutMs) throw new BarrierBroken('timeout');
    Atomics.wait(ints, CTL_BARRIER_GENERATION, generation, WAIT_SLICE_MS);
  }
}

/** Marks the control block broken (error or shutdown) and wakes every waiting thread. */
export function breakBarrier(ints: Int32Array, code: number): void {
  Atomics.store(ints, CTL_ERROR, code);
  Atomics.notify(ints, CTL_BARRIER_GENERATION);
}
