/**
 * `terra forecast monitor MODEL OBS.csv [--window 30] [--threshold 1.5] [--json]`:
 * scores new observations with a saved station model and flags drift
 * (learn/monitor/). Prints one line per station (latest and highest ratio
 * of the rolling RMSE to what the held-out test predicts), then what the
 * flags mean and, on drift, a command that retrains.
 */
import { resolve } from 'node:path';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';
import { formatIsoUtc } from '../core/time';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { DEFAULT_MONITOR, monitorStations, type MonitorReport, type MonitorSeries } from '../learn/monitor/monitor';
import { loadForecast } from '../learn/observations/store';
import { abortOnInterrupt } from './interrupt';

export interface MonitorCliOptions {
  window?: number;
  threshold?: number;
  stuck?: number;
  backend?: string;
  json?: boolean;
  out?: string;
  csv?: string;
  failOnDrift?: boolean;
}

export async function runForecastMonitor(modelDir: string, obsFile: string, opts: MonitorCliOptions): Promise<void> {
  const dir = resolve(modelDir);
  await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadForecast(dir);
  const interrupt = abortOnInterrupt('Stopping', (line) => console.error(line));
  try {
    if (saved.kind !== 'stations') {
      throw new TerraError('INVALID_PARAMS', `${dir}: a ${saved.kind} forecast model; terra forecast monitor scores station models`, { field: 'model' });
    }
    const settings = { ...DEFAULT_MONITOR, window: opts.window ?? DEFAULT_MONITOR.window, threshold: opts.threshold ?? DEFAULT_MONITOR.threshold, stuckRows: opts.stuck ?? DEFAULT_MONITOR.stuckRows };
    const tf = await import('@tensorflow/tfjs');
    const result = await monitorStations(tf, saved, dir, resolve(obsFile), settings, { signal: interrupt.signal });
    if (!result) {
      process.exitCode = 130;
      return;
    }
    const { report, series } = result;
    if (opts.out) await writeFileAtomic(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
    if (opts.csv) await writeFileAtomic(resolve(opts.csv), seriesCsv(series));
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    if (report.drift && opts.failOnDrift) process.exitCode = 2;
  } finally {
    interrupt.dispose();
    saved.model.dispose();
  }
}

/** Long format: one row per target date and station. */
function seriesCsv(series: MonitorSeries): string {
  const lines = ['date,station,rmse,expected_rmse,ratio,plain_ratio,bias,persistence_rmse'];
  const v = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : '');
  series.times.forEach((t, i) => {
    const date = formatIsoUtc(t);
    for (const [name, r] of Object.entries(series.stations)) {
      lines.push([date, name, v(r.rmse[i]!), v(r.expected[i]!), v(r.ratio[i]!), v(r.plainRatio[i]!), v(r.bias[i]!), v(r.persistenceRmse[i]!)].join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}

function printReport(r: MonitorReport): void {
  for (const w of r.warnings) console.error(`warning: ${w}`);
  const s = r.settings;
  console.log(`${r.description}, ${s.horizon} ahead; ${r.data.file}: ${r.targets} forecasts, ${r.first_target} to ${r.last_target}`);
  console.log(`rolling RMSE over ${s.window} rows against the held-out test's, scaled to each window's weather (persistence RMSE); drift above ${s.threshold}x`);
  const units = [...new Set(r.stations.map((x) => x.units).filter(Boolean))].join(', ') || 'file units';
  const head = ['station', 'test RMSE', 'latest RMSE', 'expected', 'ratio', 'max ratio', 'episodes', 'state'];
  console.log(`\n${head.map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(Math.max(9, h.length)))).join(' ')}   (${units})`);
  for (const st of r.stations) {
    const l = st.latest!;
    const state = st.drifting_now ? 'DRIFT' : st.episodes.length ? 'recovered' : 'ok';
    const cells = [st.test.rmse.toFixed(3), l.rmse.toFixed(3), l.expected_rmse.toFixed(3), `${l.ratio.toFixed(2)}x`, `${st.max_ratio.toFixed(2)}x`, String(st.episodes.length), state];
    console.log(`${st.name.padEnd(10)} ${cells.map((c, i) => c.padStart(Math.max(9, head[i + 1]!.length))).join(' ')}`);
  }
  console.log('');
  for (const m of r.messages) console.log(m);
  if (r.retrain) console.log(`\nto retrain: ${r.retrain}`);
}
