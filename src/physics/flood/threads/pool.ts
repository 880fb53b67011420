/**
 * The main thread's side of a multi-threaded solver: starts one worker per
 * band beyond the first, runs band 0 itself, and meets the workers at the
 * barriers. step() stays synchronous: the main thread blocks in Atomics.wait
 * (allowed in Node and in Electron's utility process, not in a browser's main thread).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TerraError } from '../../../api/errors';
import type { ContextSpec } from '../context';
import type { Band } from '../grid';
import type { BandProgram } from '../program';
import { CMD_EXIT, CMD_STEP, CTL_COMMAND, viewControl, type Control, type ControlBuffers, type FieldBuffers } from '../state';
import { barrierWait, BarrierBroken } from './barrier';
import { readThreadError, reportThreadError, shutdownThreads, type WorkerInit } from './protocol';

/** How long the first step waits for the workers to start (they load the sources). */
const START_TIMEOUT_MS = 60_000;

/**
 * The worker's entry. From TypeScript sources (tests, the tsx-run CLI, serve
 * mode) a bootstrap registers tsx in the worker first. A build must emit
 * threads/worker.ts as its own entry: either as worker.js beside this module
 * (an unbundled build) or as flood-worker.js beside the bundle that holds it
 * (electron-vite: add `'flood-worker': resolve('src/physics/flood/threads/worker.ts')`
 * to the main build's inputs).
 */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./worker-boot.mjs', import.meta.url);
  const candidates = [new URL('./worker.js', import.meta.url), new URL('./flood-worker.js', import.meta.url)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) {
    throw new TerraError('INTERNAL', `Flood worker script not found (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}); use threads: 1 or ship the worker entry`);
  }
  return found;
}

export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly control: Control;
  private started = false;
  private broken = false;
  /** Resolves when every worker has exited. */
  readonly exited: Promise<void>;

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
    this.exited = Promise.all(this.workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())))).then(
      () => undefined,
    );
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
    shutdownThreads(this.control);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.broken = true;
  }
}
