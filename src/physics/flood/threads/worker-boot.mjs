// Starts a flood worker from the TypeScript sources (tests, the tsx-run CLI
// and serve mode): registers tsx in this thread, then loads worker.ts. If the
// sources cannot load, the failure goes to the shared control block so the
// main thread throws instead of waiting.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  await import('./worker.ts');
} catch (err) {
  // Same layout as state.ts: ints[1] barrier generation, ints[3] error flag.
  const ints = new Int32Array(workerData.control.ints);
  const text = new Uint8Array(workerData.control.errorText);
  if (Atomics.compareExchange(ints, 3, 0, 1) === 0) {
    new TextEncoder().encodeInto(`flood worker failed to start: ${err?.stack ?? err}`.slice(0, 500), text);
  }
  Atomics.notify(ints, 1);
}
