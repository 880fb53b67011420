/**
 * `terra weather SCENARIO.json --out DIR`: weather fields over a site's
 * terrain (see src/weather/schema.ts). A progress bar on a terminal, a line
 * per 10 % otherwise. Ctrl-C stops at once (inside a wind solve too) and
 * still leaves valid outputs with the frames finished (summary.json says
 * "cancelled"); a second Ctrl-C quits at once.
 */
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { loadWeatherScenario } from '../weather/load';
import { runWeather } from '../weather/run';
import { abortOnInterrupt } from './interrupt';

export async function runWeatherCommand(scenarioPath: string, outDir: string, flags: { quiet?: boolean }): Promise<void> {
  const log = (line: string) => !flags.quiet && console.error(line);
  const prepared = await loadWeatherScenario(resolve(scenarioPath));
  const { georef, times, source } = prepared;
  log(`${prepared.scenario.name}: ${georef.nx} x ${georef.ny} cells, ${times.length} times, ${source.kind} source -> ${outDir}`);
  for (const line of source.description) log(`  ${line}`);
  for (const w of source.warnings) log(`  warning: ${w}`);

  const interrupt = abortOnInterrupt('Stopping: writing partial outputs', log);
  const bar = process.stderr.isTTY && !flags.quiet
    ? new SingleBar({ format: ' {bar} {percentage}% | frame {frame}/{frames} {time} | wind iteration {iteration} | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic)
    : null;
  bar?.start(100, 0, { frame: 0, frames: times.length, time: '', iteration: '-' });
  let lastDecile = 0;
  try {
    const summary = await runWeather(prepared, resolve(outDir), {
      signal: interrupt.signal,
      onProgress: (p) => {
        const values = { frame: p.frame + 1, frames: p.frames, time: p.time, iteration: p.windIteration ?? '-' };
        if (bar) bar.update(Math.floor(p.fraction * 100), values);
        else if (Math.floor(p.fraction * 10) > lastDecile) {
          lastDecile = Math.floor(p.fraction * 10);
          log(`  ${lastDecile * 10}%  frame ${values.frame}/${p.frames} ${p.time}`);
        }
      },
    });
    bar?.stop();
    const solves = summary.wind?.solves ?? [];
    const windText = solves.length
      ? `; wind: ${Math.max(...solves.map((s) => s.iterations))} iterations at most, max |div(H u)| ${Math.max(...solves.map((s) => s.max_divergence_m_s)).toExponential(2)} m/s`
      : '';
    log(`${summary.status}: ${summary.frames_written} of ${summary.frames_planned} frames in ${summary.wall_time_s.toFixed(2)} s${windText}`);
    for (const w of summary.warnings.filter((w) => !source.warnings.includes(w))) log(`  warning: ${w}`);
    if (summary.status === 'cancelled') process.exitCode = 130;
  } finally {
    bar?.stop();
    interrupt.dispose();
  }
}
