/**
 * `terra forecast importance MODEL [--split test] [--repeats 5] [--target NAME] [--json]`:
 * permutation importance of a station model's inputs (learn/interpret/),
 * most important first: each station at each lag, the day of year, and
 * each station at every lag at once.
 */
import { resolve } from 'node:path';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { stationImportance, type StationImportanceReport } from '../learn/interpret/stations';
import { describeModel } from '../learn/observations/models';
import { loadForecast } from '../learn/observations/store';
import type { SplitName } from '../learn/observations/windows';
import { abortOnInterrupt } from './interrupt';

export interface ImportanceCliOptions {
  split: SplitName;
  repeats: number;
  seed: number;
  target?: string;
  top?: number;
  backend?: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

export async function runForecastImportance(modelDir: string, opts: ImportanceCliOptions): Promise<void> {
  const dir = resolve(modelDir);
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadForecast(dir);
  const log = (line: string) => !opts.quiet && !opts.json && console.error(line);
  const interrupt = abortOnInterrupt('Stopping', log);
  try {
    if (saved.kind !== 'stations') {
      throw new TerraError('INVALID_PARAMS', `${dir}: a ${saved.kind} forecast model; permutation importance is for station models (terra explain gives saliency maps of field models)`, { field: 'model' });
    }
    const tf = await import('@tensorflow/tfjs');
    const tty = process.stderr.isTTY && !opts.quiet && !opts.json;
    const report = await stationImportance(tf, saved, {
      split: opts.split,
      repeats: opts.repeats,
      seed: opts.seed,
      target: opts.target,
      signal: interrupt.signal,
      onProgress: (p) => tty && process.stderr.write(`\r  ${p.done}/${p.total} shuffles (${p.group})`.padEnd(48) + (p.done === p.total ? '\n' : '')),
    });
    if (!report) {
      process.exitCode = 130;
      return;
    }
    const full = { model: dir, description: describeModel(saved.meta.config.model), backend: backend.backend, ...report };
    if (opts.out) await writeFileAtomic(resolve(opts.out), `${JSON.stringify(full, null, 2)}\n`);
    if (opts.json) console.log(JSON.stringify(full, null, 2));
    else print(full, opts.top ?? 15);
  } finally {
    interrupt.dispose();
    saved.model.dispose();
  }
}

function print(r: StationImportanceReport & { description: string }, top: number): void {
  const u = r.units ? ` ${r.units}` : '';
  console.log(`${r.description}: RMSE of ${r.targets.length === 1 ? r.targets[0] : 'all targets'} on ${r.split} ${r.years.join('-')} (${r.samples} windows) is ${r.baseline_rmse.toFixed(3)}${u}`);
  console.log(`increase when shuffled (mean +- sd over ${r.repeats} shuffles, seed ${r.seed}):`);
  const row = (name: string, g: { increase: number; std: number; relative: number }) =>
    `  ${name.padEnd(14)} ${g.increase.toFixed(3).padStart(8)} +- ${g.std.toFixed(3)}${u}  (${(100 * g.relative).toFixed(1)}%)`;
  for (const c of r.columns.slice(0, top)) console.log(row(c.name, c));
  if (r.columns.length > top) console.log(`  ... ${r.columns.length - top} more (--top ${r.columns.length}, or --json)`);
  console.log('each station, every lag at once:');
  for (const s of r.stations.slice(0, top)) console.log(row(s.name, s));
}
