/**
 * STREAM-style triad (a[i] = b[i] + s * c[i]) on Float64Arrays far larger
 * than cache, on 1..N worker threads over SharedArrayBuffers: this machine's
 * sustainable memory bandwidth, measured in the same run as the solver so
 * solver throughput can be stated as a fraction of it.
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { a, b, c, start, end, reps } = workerData;
const A = new Float64Array(a), B = new Float64Array(b), C = new Float64Array(c);
parentPort.on('message', () => {
  for (let r = 0; r < reps; r++) for (let i = start; i < end; i++) A[i] = B[i] + 3.0 * C[i];
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

export interface TriadResult {
  threads: number;
  /** Bytes moved per second counting 3 x 8 B per element (STREAM's convention). */
  bytesPerS: number;
}

export async function triad(threads: number, elements = 2 ** 25, reps = 4): Promise<TriadResult> {
  const bytes = elements * 8;
  const [a, b, c] = [0, 1, 2].map(() => new SharedArrayBuffer(bytes));
  new Float64Array(b!).fill(1);
  new Float64Array(c!).fill(2);
  const chunk = Math.ceil(elements / threads);
  const workers = Array.from(
    { length: threads },
    (_, t) =>
      new Worker(WORKER, {
        eval: true,
        workerData: { a, b, c, start: t * chunk, end: Math.min(elements, (t + 1) * chunk), reps },
      }),
  );
  const next = (w: Worker) => new Promise<void>((resolve) => w.once('message', () => resolve()));
  await Promise.all(workers.map(next)); // ready
  // Warm-up pass, then the timed best of three.
  await Promise.all(workers.map((w) => (w.postMessage('go'), next(w))));
  let best = Infinity;
  for (let trial = 0; trial < 3; trial++) {
    const t0 = performance.now();
    await Promise.all(workers.map((w) => (w.postMessage('go'), next(w))));
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return { threads, bytesPerS: (3 * bytes * reps) / best };
}
