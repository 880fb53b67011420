/**
 * `terra explain MODEL --intensity MM_H --duration MIN [--cell ROW,COL] [--radius R] --out DIR`:
 * saliency maps of a flood surrogate (learn/interpret/saliency.ts): the
 * gradient of the predicted max depth at a cell (or summed over the cells
 * within R of it; default the deepest cell) with respect to each input
 * channel at every cell. Writes, on the model's grid,
 *
 *   saliency_total.asc/.tif        per cell, root sum of squares over channels
 *   saliency_<channel>.asc/.tif    per channel, signed (m of depth per standard deviation)
 *   summary.json                   target, depth, share of each channel, where the saliency lies
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { writeFileAtomic } from '../core/atomic-write';
import { writeEsriAscii } from '../io/esri-ascii';
import { writeGeoTiff } from '../io/geotiff-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { surrogateSaliency, type SaliencyResult } from '../learn/interpret/saliency';
import { loadModel } from '../learn/models/store';
import { Surrogate } from '../learn/predict';

export interface ExplainCliOptions {
  intensity: number;
  duration: number;
  cell?: [number, number];
  radius: number;
  out: string;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

/** "ROW,COL" -> [row, col], whole numbers >= 0. */
export function parseCell(value: string): [number, number] {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isInteger(v) || v < 0)) throw new InvalidArgumentError('must be ROW,COL: two whole numbers >= 0 (row 0 is north)');
  return parts as [number, number];
}

export async function runExplain(modelDir: string, opts: ExplainCliOptions): Promise<void> {
  const log = (line: string) => !opts.quiet && !opts.json && console.error(line);
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const tf = await import('@tensorflow/tfjs');
  const saved = await loadModel(resolve(modelDir));
  try {
    const scenario = { intensity_mm_h: opts.intensity, duration_min: opts.duration };
    const { intensity_mm_h: ri, duration_min: rd } = saved.meta.trained_on;
    if (opts.intensity < ri[0] || opts.intensity > ri[1] || opts.duration < rd[0] || opts.duration > rd[1]) {
      log(`warning: outside the trained range (${ri.join('-')} mm/h, ${rd.join('-')} min): the surrogate extrapolates there`);
    }
    const { nx } = saved.meta.grid;
    let cell = opts.cell;
    if (!cell) {
      const depth = await new Surrogate(tf, saved).predict(scenario);
      let k = 0;
      for (let i = 1; i < depth.length; i++) if (depth[i]! > depth[k]!) k = i;
      cell = [Math.floor(k / nx), k % nx];
      log(`cell ${cell.join(',')}: the deepest (${depth[k]!.toFixed(2)} m)`);
    }
    const started = performance.now();
    const r = surrogateSaliency(tf, saved, scenario, { row: cell[0], col: cell[1], radius: opts.radius });
    const seconds = (performance.now() - started) / 1000;
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    const write = async (name: string, data: Float32Array) => {
      const raster = { data, georef: r.georef, units: 'm' };
      await writeEsriAscii(join(out, `${name}.asc`), raster);
      await writeGeoTiff(join(out, `${name}.tif`), raster);
    };
    await write('saliency_total', r.total);
    for (const c of r.channels) await write(`saliency_${c.name}`, c.gradient);
    const summary = {
      model: resolve(modelDir),
      backend: backend.backend,
      seconds,
      units: 'm of max depth per standard deviation of the input channel',
      ...scenario,
      target: r.target,
      depth_m: r.depth_m,
      channels: r.channels.map((c) => ({ name: c.name, share: c.share, sum_abs: c.total })).sort((a, b) => b.share - a.share),
      all: r.all,
      terrain: r.terrain,
    };
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (opts.json) console.log(JSON.stringify(summary, null, 2));
    else print(r, seconds, out);
  } finally {
    saved.model.dispose();
  }
}

function print(r: SaliencyResult, seconds: number, out: string): void {
  const t = r.target;
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  console.log(`${r.scenario.intensity_mm_h} mm/h for ${r.scenario.duration_min} min: max depth ${r.depth_m.toFixed(3)} m at cell ${t.row},${t.col}${t.radius ? ` (+-${t.radius} cells, summed)` : ''}; gradient in ${seconds.toFixed(1)} s`);
  console.log(`channels by share of |gradient|: ${[...r.channels].sort((a, b) => b.share - a.share).slice(0, 6).map((c) => `${c.name} ${pct(c.share)}`).join(', ')}`);
  const tr = r.terrain;
  const at = (d: number) => tr.within.find((w) => w.cells === d)!;
  console.log(`terrain channels: ${tr.support.cells} cells up to ${tr.support.max_distance} away; within 4 cells ${pct(at(4).saliency_share)} of it (${pct(at(4).cell_share)} of those cells), within 8 ${pct(at(8).saliency_share)} (${pct(at(8).cell_share)})`);
  for (const [label, set] of [['higher ground', tr.higher], ['its catchment (D8)', tr.upstream]] as const) {
    if (set) console.log(`  on ${label}: ${pct(set.saliency_share)} of it on ${set.cells} cells (${pct(set.expected_share)} if it went by distance alone)`);
  }
  console.log(`-> ${out}`);
}
