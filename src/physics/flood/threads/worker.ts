/**
 * A flood worker thread: rebuilds the solver's context from the shared
 * buffers it is handed and runs its band of every step, between the
 * barriers the main thread also passes (go, the step's inner ones, done).
 * It exits when the main thread disposes the solver or another thread fails;
 * its own failure is written to the control block for the main thread to throw.
 */
import { workerData } from 'node:worker_threads';
import { createContext } from '../context';
import { createBandProgram } from '../program';
import { CMD_EXIT, CTL_COMMAND } from '../state';
import { barrierWait, BarrierBroken } from './barrier';
import { reportThreadError, type WorkerInit } from './protocol';

function runFloodWorker(init: WorkerInit): void {
  const ctx = createContext(init.spec, init.fields, init.control);
  const ints = ctx.control.ints;
  const parties = init.spec.threads;
  const barrier = () => barrierWait(ints, parties);
  try {
    const program = createBandProgram(ctx, init.band.index);
    for (;;) {
      barrier(); // go
      if (Atomics.load(ints, CTL_COMMAND) === CMD_EXIT) return;
      program(init.band, barrier);
      barrier(); // done
    }
  } catch (err) {
    if (err instanceof BarrierBroken) return; // the main thread failed or disposed the solver
    reportThreadError(ctx.control, `flood worker ${init.band.index}: ${(err as Error)?.stack ?? String(err)}`);
  }
}

runFloodWorker(workerData as WorkerInit);
