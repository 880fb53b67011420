/**
 * The main thread's side of a multi-threaded solver: starts one worker per
 * band beyond the first, runs band 0 itself, and meets the workers at the
 * barriers. step() stays synchronous: the main thread blocks in Atomics.wait
 * (allowed in Node and in Electron's utility process, not in a browser's main thread).
 */
import { Worker } from 'node:worker_threads';
import { TerraError } from '../../../api/errors';
import type { ContextSpec } from '../context';
import type { Band } from '../grid';
import type { BandProgram } from '../program';
import { CMD_EXIT, CMD_STEP, CTL_COMMAND, viewControl, type Control, type ControlBuffers, type FieldBuffers } from '../state';
import { barrierWait, BarrierBroken } from './barrier';
import { ERROR_SHUTDOWN, readThreadError, reportThreadError, type WorkerInit } from './protocol';

/** How long the first step waits for the workers to start (they load the sources). */
const START_TIMEOUT_MS = 60_000;

function workerUrl(): URL {
  // From TypeScript sources a bootstrap registers tsx in the worker first; a
  // build ships worker.js beside this module.
  return import.meta.url.endsWith('.ts') ? new URL('./worker-boot.mjs', import.meta.url) : new URL('./worker.js', import.meta.url);
}

export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly control: Control;
  private started = false;
  private broken = false;

  constructor(
    private readonly spec: ContextSpec,
    fields: FieldBuffers,
    control: ControlBuffers,
    private readonly bands: readonly Band[],
  ) {
    this.control = viewControl(control);
    for (const band of bands.slice(1)) {
      const init: WorkerInit = { spec, fields, control, band };
      const worker = new Worker(workerUrl(), { workerData: init, execArgv: [] });
      worker.unref();
      // Failures are reported through the control block; keep them off the process.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
  }

  /** Runs one step on every band; throws TerraError('INTERNAL') if a thread failed. */
  run(program: BandProgram): void {
    if (this.broken) throw new TerraError('INTERNAL', 'The flood solver stopped after a thread failure; create a new one.');
    const ints = this.control.ints;
    const parties = this.spec.threads;
    const barrier = () => barrierWait(ints, parties);
    try {
      Atomics.store(ints, CTL_COMMAND, CMD_STEP);
      barrierWait(ints, parties, this.started ? Infinity : START_TIMEOUT_MS); // go
      this.started = true;
      program(this.bands[0]!, barrier);
      barrier(); // done
    } catch (err) {
      this.broken = true;
      if (err instanceof BarrierBroken) {
        const text = readThreadError(this.control);
        throw new TerraError(
          'INTERNAL',
          err.reason === 'timeout' ? 'Flood worker threads did not start within 60 s' : `Flood solver thread failed: ${text}`,
        );
      }
      reportThreadError(this.control, `flood main thread: ${(err as Error)?.message ?? String(err)}`);
      throw err;
    }
  }

  dispose(): void {
    const ints = this.control.ints;
    Atomics.store(ints, CTL_COMMAND, CMD_EXIT);
    reportThreadError(this.control, 'disposed');
    void ERROR_SHUTDOWN;
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.broken = true;
  }
}
