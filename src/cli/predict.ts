/**
 * `terra predict MODEL_DIR --intensity MM_H --duration MIN --out DIR`: the
 * surrogate's max-depth field for one rain scenario, written like `terra
 * simulate` writes its own (max_depth.asc and .tif) plus a summary.json.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write';
import { writeEsriAscii } from '../io/esri-ascii';
import { writeGeoTiff } from '../io/geotiff-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { Surrogate } from '../learn/predict';

export interface PredictCliOptions {
  intensity: number;
  duration: number;
  out: string;
  backend?: string;
  quiet?: boolean;
}

export async function runPredict(modelDir: string, opts: PredictCliOptions): Promise<void> {
  const log = (line: string) => !opts.quiet && console.error(line);
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const surrogate = await Surrogate.load(resolve(modelDir));
  try {
    const scenario = { intensity_mm_h: opts.intensity, duration_min: opts.duration };
    const { intensity_mm_h: ri, duration_min: rd } = surrogate.saved.meta.trained_on;
    if (opts.intensity < ri[0] || opts.intensity > ri[1] || opts.duration < rd[0] || opts.duration > rd[1]) {
      log(`warning: outside the trained range (${ri.join('-')} mm/h, ${rd.join('-')} min): the surrogate extrapolates there`);
    }
    const started = performance.now();
    const depth = await surrogate.predict(scenario);
    const ms = performance.now() - started;
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    const raster = { data: depth, georef: surrogate.saved.meta.grid, units: 'm' };
    await writeEsriAscii(join(out, 'max_depth.asc'), raster);
    await writeGeoTiff(join(out, 'max_depth.tif'), raster);
    let [max, wet] = [0, 0];
    for (const d of depth) {
      if (d > max) max = d;
      if (d >= 0.05) wet++;
    }
    const summary = { model: resolve(modelDir), ...scenario, backend: backend.backend, predict_ms: ms, max_depth_m: max, cells_over_5cm: wet, cells: depth.length };
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    log(`${opts.intensity} mm/h for ${opts.duration} min: max depth ${max.toFixed(2)} m, ${wet} cells >= 5 cm; ${ms.toFixed(0)} ms on ${backend.backend} -> ${out}`);
  } finally {
    surrogate.dispose();
  }
}
