/**
 * `terra forecast`: forecasts learned from observations (learn/observations/).
 *
 *   terra forecast stations DATA.csv --out MODEL [--model mlp|gru|lstm] [--lookback 3] [--horizon 1]
 *   terra forecast grid --var temperature=T.nc --var pressure=P.nc [--var u=U.nc --var v=V.nc] --out MODEL
 *   terra forecast evaluate MODEL [--split test]
 *
 * --config takes the job's JSON (learn/observations/config.ts); flags go on
 * top. Training prints the data, the backend and a line per epoch (a bar on
 * a terminal), then the validation and held-out test scores against
 * persistence (and climatology, or the last step's trend). Ctrl-C stops
 * after the current batch and saves nothing.
 */
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { MODEL_FILE } from '../learn/models/store';
import { forecastConfigSchema, type ForecastConfig, type GridForecastConfig, type StationForecastConfig } from '../learn/observations/config';
import type { Comparison } from '../learn/observations/evaluate';
import { evaluateSavedGrid, trainGridForecast, type GridEvaluation } from '../learn/observations/grid-job';
import type { ForecastEvent } from '../learn/observations/job';
import { describeModel } from '../learn/observations/models';
import { evaluateSavedStations, trainStationForecast, type StationEvaluation } from '../learn/observations/station-job';
import { FORECAST_FILE, loadForecast } from '../learn/observations/store';
import type { SplitName } from '../learn/observations/windows';
import { abortOnInterrupt } from './interrupt';

interface CommonOptions {
  out: string;
  config?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  backend?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export interface StationsCliOptions extends CommonOptions {
  model?: 'mlp' | 'gru' | 'lstm';
  locations?: string;
  units?: string;
  timeZone?: string;
  inputs?: string[];
  targets?: string[];
  lookback?: number;
  horizon?: number;
  harmonics?: boolean;
  train?: [number, number];
  validation?: [number, number];
  test?: [number, number];
}

export interface GridCliOptions extends CommonOptions {
  model?: 'cnn' | 'unet';
  var?: Record<string, { file: string; variable?: string; units?: string }>;
  units?: Record<string, string>;
  targets?: string[];
  horizon?: number;
  validationSteps?: number;
  testSteps?: number;
}

export interface ForecastEvaluateCliOptions {
  split: SplitName;
  backend?: string;
  json?: boolean;
  out?: string;
}

/** "1961:1972" -> [1961, 1972]. */
export function parseYears(value: string): [number, number] {
  const parts = value.split(':').map(Number);
  if (parts.length !== 2 || parts.some((v) => !Number.isInteger(v) || v < 1) || parts[0]! > parts[1]!) throw new InvalidArgumentError('must be FIRST:LAST, two years in order');
  return parts as [number, number];
}

export function parseList(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('must be a comma-separated list of names');
  return items;
}

/** Repeatable "name=FILE" or "name=FILE:variable", collected into a record. */
export function parseVar(value: string, previous: GridCliOptions['var'] = {}): NonNullable<GridCliOptions['var']> {
  const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('must be NAME=FILE or NAME=FILE:VARIABLE (NAME in lower case, e.g. temperature=Tstorm.cdf:t)');
  const [, name, rest] = m as unknown as [string, string, string];
  // A trailing ":name" is the variable; a drive letter ("C:\...") is not.
  const v = /^(.*[^:]):([A-Za-z_][\w]*)$/.exec(rest);
  const spec = v && !/^[A-Za-z]$/.test(v[1]!) ? { file: v[1]!, variable: v[2]! } : { file: rest };
  return { ...previous, [name]: spec };
}

export function parseSplitName(value: string): SplitName {
  if (!['train', 'validation', 'test'].includes(value)) throw new InvalidArgumentError('must be train, validation or test');
  return value as SplitName;
}

async function readConfigFile(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) return {};
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not a JSON object');
    return raw as Record<string, unknown>;
  } catch (err) {
    throw new TerraError('INVALID_PARAMS', `${file}: cannot read the forecast config (${(err as Error).message})`, { file });
  }
}

/** Config file, then flags; every problem named by its field. */
function parseConfig(kind: ForecastConfig['kind'], base: Record<string, unknown>, data: Record<string, unknown>, model: string | undefined, opts: CommonOptions): ForecastConfig {
  if (base.kind !== undefined && base.kind !== kind) throw new TerraError('INVALID_PARAMS', `${opts.config}: kind: "${String(base.kind)}" config given to terra forecast ${kind}`, { field: 'kind' });
  const baseModel = (base.model ?? {}) as Record<string, unknown>;
  const training: Record<string, unknown> = { ...((base.training ?? {}) as object) };
  const flags = { epochs: opts.epochs, batch_size: opts.batchSize, learning_rate: opts.lr, seed: opts.seed };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) training[k] = v;
  const mergedData = { ...((base.data ?? {}) as object), ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) };
  const parsed = forecastConfigSchema.safeParse({
    ...base,
    kind,
    data: mergedData,
    model: model && model !== baseModel.kind ? { kind: model } : base.model,
    training,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new TerraError('INVALID_PARAMS', `${opts.config ? `${opts.config}: ` : ''}${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

/** Refuses to replace a model folder unless --force. */
async function checkOut(out: string, force: boolean | undefined): Promise<void> {
  for (const f of [FORECAST_FILE, MODEL_FILE]) {
    const there = await access(join(out, f)).then(
      () => true,
      () => false,
    );
    if (there && !force) throw new TerraError('INVALID_PARAMS', `${out}: holds a model already (${f}); pass --force to replace it, or choose another --out`, { field: 'out' });
  }
}

export async function runForecastStations(file: string | undefined, opts: StationsCliOptions, version: string): Promise<void> {
  const base = await readConfigFile(opts.config);
  const splits = opts.train || opts.validation || opts.test ? { train: opts.train, validation: opts.validation, test: opts.test } : undefined;
  if (splits && (!splits.train || !splits.validation || !splits.test)) throw new TerraError('INVALID_PARAMS', 'splits: give --train, --validation and --test together', { field: 'splits' });
  const config = parseConfig(
    'stations',
    base,
    {
      file,
      locations: opts.locations,
      units: opts.units,
      time_zone: opts.timeZone,
      inputs: opts.inputs,
      targets: opts.targets,
      lookback: opts.lookback,
      horizon: opts.horizon,
      harmonics: opts.harmonics === false ? false : undefined,
      splits,
    },
    opts.model,
    opts,
  ) as StationForecastConfig;
  await train(config, opts, version);
}

export async function runForecastGrid(opts: GridCliOptions, version: string): Promise<void> {
  const base = await readConfigFile(opts.config);
  const baseData = (base.data ?? {}) as { splits?: object };
  const splits =
    opts.validationSteps !== undefined || opts.testSteps !== undefined
      ? { ...baseData.splits, ...(opts.validationSteps !== undefined ? { validation_steps: opts.validationSteps } : {}), ...(opts.testSteps !== undefined ? { test_steps: opts.testSteps } : {}) }
      : undefined;
  let variables = opts.var ?? (baseData as { variables?: NonNullable<GridCliOptions['var']> }).variables;
  if (opts.units && variables) {
    const given = opts.units;
    for (const name of Object.keys(given)) {
      if (name !== '*' && !variables[name]) throw new TerraError('INVALID_PARAMS', `units: "${name}" is not one of the variables (${Object.keys(variables).join(', ')})`, { field: 'units' });
    }
    variables = Object.fromEntries(
      Object.entries(variables).map(([n, v]) => {
        const units = given[n] ?? given['*'];
        return [n, units ? { ...v, units } : v];
      }),
    );
  }
  const config = parseConfig('grid', base, { variables, targets: opts.targets, horizon: opts.horizon, splits }, opts.model, opts) as GridForecastConfig;
  await train(config, opts, version);
}

async function train(config: ForecastConfig, opts: CommonOptions, version: string): Promise<void> {
  const log = (line: string) => !opts.quiet && console.error(line);
  const out = resolve(opts.out);
  await checkOut(out, opts.force);
  const t = config.training;
  log(`${describeModel(config.model)}, ${t.optimiser.name}, lr ${t.learning_rate}, up to ${t.epochs} epochs, batches of ${t.batch_size}, seed ${t.seed} -> ${out}`);
  const interrupt = abortOnInterrupt('Stopping after this batch: nothing will be saved', log);
  const tty = process.stderr.isTTY && !opts.quiet;
  const bar = tty ? new SingleBar({ format: ' epoch {epoch}/{epochs} {bar} {value}/{total} | loss {loss} | {rate} samples/s', hideCursor: true }, Presets.shades_classic) : null;
  const onEvent = (e: ForecastEvent) => {
    if (e.type === 'data') for (const line of e.lines) log(`  ${line}`);
    else if (e.type === 'backend') {
      log(`backend: ${e.report.backend} (tfjs ${e.report.tfjs})`);
      for (const note of e.report.notes) log(`  skipped ${note}`);
    } else if (e.type === 'batch' && bar) {
      if (e.batch === 0) bar.start(e.batches, 0, { epoch: e.epoch + 1, epochs: e.epochs, loss: '-', rate: '-' });
      bar.update(e.batch + 1, { loss: e.loss.toFixed(4), rate: e.samplesPerS.toFixed(0) });
    } else if (e.type === 'epoch') {
      bar?.stop();
      const r = e.record;
      log(`epoch ${r.epoch}/${e.epochs}: loss ${r.loss.toFixed(4)}, val ${r.val_loss.toFixed(4)}${e.improved ? ' *' : ''}, lr ${r.learning_rate.toExponential(2)}, ${r.samples_per_s.toFixed(0)} samples/s, ${r.seconds.toFixed(1)} s`);
    } else if (e.type === 'early-stop') log(`early stop at epoch ${e.epoch}: best was epoch ${e.bestEpoch}`);
  };
  try {
    const options = { outDir: out, terraVersion: version, backend: opts.backend, signal: interrupt.signal, onEvent };
    const result = config.kind === 'stations' ? await trainStationForecast(config, options) : await trainGridForecast(config, options);
    bar?.stop();
    if (result.status === 'cancelled') {
      log(`cancelled after ${result.epochs} epoch(s); nothing saved`);
      process.exitCode = 130;
      return;
    }
    if (opts.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    log(`${result.status} after ${result.epochs} epochs (${result.seconds.toFixed(1)} s), best epoch ${result.bestEpoch}; saved ${out}`);
    for (const e of [result.validation!, result.test!]) printEvaluation(e);
  } finally {
    bar?.stop();
    interrupt.dispose();
  }
}

export async function runForecastEvaluate(modelDir: string, opts: ForecastEvaluateCliOptions): Promise<void> {
  const dir = resolve(modelDir);
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadForecast(dir);
  try {
    const provenance = JSON.parse(await readFile(join(dir, 'provenance.json'), 'utf8').catch(() => '{}')) as { data?: { sha256?: string } & Record<string, { sha256?: string }> };
    const warnings: string[] = [];
    let evaluation: StationEvaluation | GridEvaluation;
    if (saved.kind === 'stations') {
      const r = await evaluateSavedStations(saved, opts.split);
      evaluation = r.evaluation;
      if (provenance.data?.sha256 && provenance.data.sha256 !== r.sha256) warnings.push(`${saved.meta.config.data.file} changed since training (SHA-256 differs)`);
    } else {
      const r = await evaluateSavedGrid(saved, opts.split);
      evaluation = r.evaluation;
      for (const [name, sha] of Object.entries(r.sha256)) {
        const was = provenance.data?.[name]?.sha256;
        if (was && was !== sha) warnings.push(`${saved.meta.config.data.variables[name]!.file} (${name}) changed since training (SHA-256 differs)`);
      }
    }
    const report = { model: dir, kind: saved.kind, backend: backend.backend, warnings, ...evaluation };
    if (opts.out) await writeFileAtomic(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
    if (opts.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    for (const w of warnings) console.error(`warning: ${w}`);
    console.log(`${describeModel(saved.meta.config.model)} (${saved.kind}), backend ${backend.backend}`);
    printEvaluation(evaluation);
  } finally {
    saved.model.dispose();
  }
}

const num = (v: number, digits: number, width: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v)).padStart(width);
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : String(v)).padStart(8);

function printEvaluation(e: StationEvaluation | GridEvaluation): void {
  const rows: [string, Comparison][] = 'stations' in e ? [...Object.entries(e.stations), ['pooled', e.pooled]] : Object.entries(e.targets);
  const refs = Object.keys(rows[0]![1].references);
  const units = [...new Set(Object.values(e.units).filter(Boolean))].join(', ') || 'file units';
  const span = 'years' in e ? `${e.years[0]}-${e.years[1]}, ${e.samples} windows` : `${e.samples} samples, targets ${e.first_target} to ${e.last_target}`;
  console.log(`\n${e.split} (${span}), ${e.horizon} ahead; RMSE and MAE in ${units}; r change: of the predicted and observed change; vs: share of the reference's RMSE removed`);
  const head = ['', 'RMSE', 'MAE', 'r', 'r change', ...refs.map((r) => `${r} RMSE`), ...refs.map((r) => `vs ${r}`), ...refs.map((r) => `skill ${r}`)];
  const name = Math.max(12, ...rows.map(([n]) => n.length + 1));
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(name) : h.padStart(Math.max(8, h.length)))).join(' '));
  for (const [label, c] of rows) {
    const cells = [
      num(c.model.rmse, 3, 8),
      num(c.model.mae, 3, 8),
      num(c.model.pearson, 3, 8),
      num(c.model.change_pearson, 3, 8),
      ...refs.map((r) => num(c.references[r]!.scores.rmse, 3, Math.max(8, `${r} RMSE`.length))),
      ...refs.map((r) => pct(c.references[r]!.rmse_reduction).padStart(Math.max(8, `vs ${r}`.length))),
      ...refs.map((r) => num(c.references[r]!.skill, 3, Math.max(8, `skill ${r}`.length))),
    ];
    console.log(`${label.padEnd(name)} ${cells.join(' ')}`);
  }
}
