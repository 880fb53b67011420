/**
 * `terra predict MODEL_DIR --intensity MM_H --duration MIN --out DIR [--verify]`:
 * the surrogate's max-depth field for one rain scenario, written like `terra
 * simulate` writes its own (max_depth.asc and .tif) plus a summary.json with
 * the prediction time and a confidence signal (distance from the trained
 * range). With --verify the flood solver runs the same scenario as the
 * training storms were run: its field goes to physics_max_depth.asc/.tif and
 * the surrogate's scores against it (CSI/POD/FAR at 5 cm, RMSE) to the
 * summary. Ctrl-C stops the verification; the prediction is kept.
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';
import type { Raster } from '../core/raster';
import { writeEsriAscii } from '../io/esri-ascii';
import { writeGeoTiff } from '../io/geotiff-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { Surrogate } from '../learn/predict';
import { forcingConfidence, verifyWithPhysics, type Verification } from '../learn/verify';
import { abortOnInterrupt } from './interrupt';

export interface PredictCliOptions {
  intensity: number;
  duration: number;
  out: string;
  verify?: boolean;
  threads?: number;
  backend?: string;
  quiet?: boolean;
}

const WET_M = 0.05;

export async function runPredict(modelDir: string, opts: PredictCliOptions): Promise<void> {
  const log = (line: string) => !opts.quiet && console.error(line);
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const surrogate = await Surrogate.load(resolve(modelDir));
  try {
    const scenario = { intensity_mm_h: opts.intensity, duration_min: opts.duration };
    const confidence = forcingConfidence(surrogate.saved.meta, scenario);
    if (confidence.level !== 'high') log(`warning: ${confidence.message}`);
    const started = performance.now();
    const depth = await surrogate.predict(scenario);
    const ms = performance.now() - started;
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    const grid = surrogate.saved.meta.grid;
    await writeDepth(out, 'max_depth', { data: depth, georef: grid, units: 'm' });
    const { max, wet } = extent(depth);
    const summary: Record<string, unknown> = {
      model: resolve(modelDir),
      ...scenario,
      backend: backend.backend,
      predict_ms: ms,
      max_depth_m: max,
      cells_over_5cm: wet,
      cells: depth.length,
      confidence,
    };
    log(`${opts.intensity} mm/h for ${opts.duration} min: max depth ${max.toFixed(2)} m, ${wet} cells >= 5 cm; ${ms.toFixed(0)} ms on ${backend.backend} -> ${out}`);

    if (opts.verify) {
      const threads = opts.threads ?? Math.min(2, availableParallelism());
      const interrupt = abortOnInterrupt('stopping the verification run', log);
      let v: Verification | null = null;
      try {
        v = await verifyWithPhysics(surrogate, scenario, threads, {
          signal: interrupt.signal,
          onProgress: (f) => !opts.quiet && process.stderr.isTTY && process.stderr.write(`\rverifying with physics: ${(100 * f).toFixed(0)}%`),
        });
      } catch (err) {
        if (!(err instanceof TerraError && err.code === 'CANCELLED')) throw err;
        log('\nverification cancelled: the prediction is written, the comparison is not');
        summary.verification = { status: 'cancelled' };
      } finally {
        interrupt.dispose();
      }
      if (v) {
        await writeDepth(out, 'physics_max_depth', { data: v.physics.maxDepth, georef: grid, units: 'm' });
        const s = v.scores;
        summary.verification = {
          status: 'completed',
          threshold_m: v.threshold_m,
          solver_wall_s: v.physics.wallS,
          solver_steps: v.physics.steps,
          speedup: (v.physics.wallS * 1000) / ms,
          physics_max_depth_m: extent(v.physics.maxDepth).max,
          scores: s,
        };
        if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
        log(
          `verified with physics (${v.physics.wallS.toFixed(1)} s, ${v.physics.steps} steps; the surrogate was ${((v.physics.wallS * 1000) / ms).toFixed(0)}x faster): ` +
            `CSI ${s.csi.toFixed(3)}, POD ${s.pod.toFixed(3)}, FAR ${s.far.toFixed(3)} at 5 cm; RMSE ${(s.rmse_wet_m * 100).toFixed(2)} cm on ${s.wet_cells} wet cells`,
        );
      }
    }
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    surrogate.dispose();
  }
}

async function writeDepth(dir: string, name: string, raster: Raster): Promise<void> {
  await writeEsriAscii(join(dir, `${name}.asc`), raster);
  await writeGeoTiff(join(dir, `${name}.tif`), raster);
}

function extent(depth: Float32Array): { max: number; wet: number } {
  let [max, wet] = [0, 0];
  for (const d of depth) {
    if (d > max) max = d;
    if (d >= WET_M) wet++;
  }
  return { max, wet };
}
