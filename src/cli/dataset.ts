/**
 * `terra dataset --out DIR`: simulates a family of rain scenarios on a DEM
 * and writes a training dataset (learn/dataset/build.ts). The family comes
 * from --config (JSON, learn/dataset/family.ts) with flags on top. Ctrl-C
 * stops after the current step; finished scenarios are kept and the same
 * command resumes.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import type { Raster } from '../core/raster';
import { readDem } from '../io/read-dem';
import { buildDataset } from '../learn/dataset/build';
import { rainFamilySchema, type RainFamily } from '../learn/dataset/family';
import { SiteRegistry } from '../sites/registry';

export interface DatasetCliOptions {
  out: string;
  site?: string;
  dem?: string;
  config?: string;
  scenarios?: number;
  seed?: number;
  intensity?: [number, number];
  duration?: [number, number];
  tail?: number;
  manning?: number;
  crop?: { row: number; col: number; rows: number; cols: number };
  threads?: number;
  quiet?: boolean;
}

/** "15:60" -> [15, 60]. */
export function parseRange(value: string): [number, number] {
  const parts = value.split(':').map(Number);
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v) || v <= 0)) throw new InvalidArgumentError('must be MIN:MAX, two positive numbers');
  return parts as [number, number];
}

/** "ROW,COL,ROWS,COLS" -> a crop window. */
export function parseCrop(value: string): DatasetCliOptions['crop'] {
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((v) => !Number.isInteger(v) || v < 0)) throw new InvalidArgumentError('must be ROW,COL,ROWS,COLS (integers)');
  const [row, col, rows, cols] = parts as [number, number, number, number];
  return { row, col, rows, cols };
}

export async function runDataset(opts: DatasetCliOptions, version: string): Promise<void> {
  const log = (line: string) => !opts.quiet && console.error(line);
  const family = await familyFrom(opts);
  const { dem, source } = await demFrom(opts);
  const out = resolve(opts.out);
  const size = family.crop ? `${family.crop.cols} x ${family.crop.rows} cells (window of ${dem.georef.nx} x ${dem.georef.ny})` : `${dem.georef.nx} x ${dem.georef.ny} cells`;
  log(`${source}: ${size}; ${family.scenarios} scenarios of ${family.intensity_mm_h.join('-')} mm/h for ${family.duration_min.join('-')} min -> ${out}`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    log('\nStopping: finished scenarios are kept; run the same command to resume (Ctrl-C again to quit at once)...');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const bar = process.stderr.isTTY && !opts.quiet
    ? new SingleBar({ format: ' {bar} {percentage}% | scenario {n}/{count} {id} | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic)
    : null;
  bar?.start(100, 0, { n: 1, count: family.scenarios, id: '' });
  try {
    const manifest = await buildDataset({
      dem,
      demSource: source,
      family: { ...family, solver: { ...family.solver, threads: opts.threads ?? family.solver.threads } },
      outDir: out,
      terraVersion: version,
      signal: controller.signal,
      onProgress: (p) => {
        bar?.update(Math.floor(p.fraction * 100), { n: p.index + 1, count: p.count, id: p.scenario });
        if (!bar && (p.reused || p.fvWallS !== undefined)) {
          log(`  [${p.index + 1}/${p.count}] ${p.scenario}: ${p.reused ? 'reused' : `simulated in ${p.fvWallS!.toFixed(1)} s`}`);
        }
      },
    });
    bar?.update(100);
    bar?.stop();
    const counts = ['train', 'validation', 'test'].map((s) => `${manifest.scenarios.filter((e) => e.split === s).length} ${s}`).join(', ');
    log(`dataset written: ${counts}; ${manifest.channels.static.length} static + ${manifest.channels.forcing.length} forcing channels; ${out}/manifest.json`);
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
}

async function familyFrom(opts: DatasetCliOptions): Promise<RainFamily> {
  let base: Record<string, unknown> = {};
  if (opts.config) {
    try {
      base = JSON.parse(await readFile(opts.config, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new TerraError('INVALID_PARAMS', `${opts.config}: cannot read the family config (${(err as Error).message})`, { file: opts.config });
    }
  }
  const flags: Record<string, unknown> = {
    scenarios: opts.scenarios,
    seed: opts.seed,
    intensity_mm_h: opts.intensity,
    duration_min: opts.duration,
    tail_min: opts.tail,
    manning: opts.manning,
    crop: opts.crop,
  };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) base[k] = v;
  base.scenarios ??= 24;
  base.intensity_mm_h ??= [15, 60];
  base.duration_min ??= [15, 45];
  const parsed = rainFamilySchema.safeParse(base);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = opts.config ? `${opts.config}: ` : '';
    throw new TerraError('INVALID_PARAMS', `${where}${issue.path.join('.') || '(root)'}: ${issue.message}`, { field: issue.path.join('.') });
  }
  return parsed.data;
}

async function demFrom(opts: DatasetCliOptions): Promise<{ dem: Raster; source: string }> {
  if (opts.dem && opts.site) throw new TerraError('INVALID_PARAMS', 'give --site or --dem, not both', { field: 'dem' });
  if (opts.dem) return { dem: await readDem(resolve(opts.dem)), source: resolve(opts.dem) };
  const site = opts.site ?? 'jacksboro';
  const registry = new SiteRegistry(fileURLToPath(new URL('../../assets/sites', import.meta.url)));
  return { dem: await registry.readDem(site), source: `site:${site}` };
}
