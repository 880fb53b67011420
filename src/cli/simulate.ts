/**
 * `terra simulate SCENARIO.json --out DIR`. A progress bar on a terminal, a
 * line per 10% otherwise. Ctrl-C stops the run at the next step and still
 * writes valid partial outputs (summary.json says "cancelled"); a second
 * Ctrl-C quits at once.
 */
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadScenario } from '../scenario/load';
import { runScenario } from '../scenario/run';
import { abortOnInterrupt } from './interrupt';

export async function runSimulate(scenarioPath: string, outDir: string, flags: { threads?: number; quiet?: boolean }): Promise<void> {
  const prepared = await loadScenario(resolve(scenarioPath));
  if (flags.threads) prepared.setup.threads = flags.threads;
  const { nx, ny } = prepared.setup;
  const log = (line: string) => !flags.quiet && console.error(line);
  log(
    `${prepared.scenario.name}: ${nx} x ${ny} cells, scheme ${prepared.setup.scheme}, ${prepared.setup.threads} thread(s), ` +
      `${prepared.durationS} s simulated, outputs every ${prepared.intervalS} s -> ${outDir}`,
  );

  const interrupt = abortOnInterrupt('Stopping: writing partial outputs', log);

  const tty = process.stderr.isTTY && !flags.quiet;
  const bar = tty
    ? new SingleBar(
        { format: ' {bar} {percentage}% | t={time}s | {steps} steps | {rate} M cell-updates/s | ETA {eta_formatted}', hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  bar?.start(100, 0, { time: '0', steps: 0, rate: '-' });
  let lastDecile = 0;

  try {
    const summary = await runScenario(prepared, resolve(outDir), {
      signal: interrupt.signal,
      onProgress: (p) => {
        const values = { time: p.time.toFixed(2), steps: p.steps, rate: (p.cellUpdatesPerS / 1e6).toFixed(1) };
        if (bar) bar.update(Math.floor(p.fraction * 100), values);
        else if (Math.floor(p.fraction * 10) > lastDecile) {
          lastDecile = Math.floor(p.fraction * 10);
          log(`  ${lastDecile * 10}%  t=${values.time} s  ${values.steps} steps  ${values.rate} M cell-updates/s`);
        }
      },
    });
    bar?.update(summary.status === 'completed' ? 100 : Math.floor((summary.simulated_time_s / summary.duration_s) * 100));
    bar?.stop();
    log(
      `${summary.status} at t=${summary.simulated_time_s.toFixed(3)} s: ${summary.steps} steps in ${summary.wall_time_s.toFixed(2)} s ` +
        `(${(summary.cell_updates_per_s / 1e6).toFixed(2)} M cell-updates/s), mass error ${summary.mass_error_rel.toExponential(2)}, ` +
        `max depth ${summary.max_depth_m.toFixed(3)} m`,
    );
    if (summary.status === 'cancelled') process.exitCode = 130;
  } finally {
    bar?.stop();
    interrupt.dispose();
  }
}
