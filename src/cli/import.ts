/** `terra import FILE... --project DIR`: read, clean, convert to project units on a metric grid, write data + sidecars + manifest. */
import { InvalidArgumentError } from 'commander';
import { importFiles, type ImportOptions, type ImportProgress } from '../data/import';
import { RESAMPLE_METHODS, type ResampleMethod } from '../core/sample';

/** "--units kn" (every variable) or "--units p=Pa,t=K" (by name). */
export function parseUnitsOption(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) out['*'] = part;
    else {
      const name = part.slice(0, eq).trim();
      const units = part.slice(eq + 1).trim();
      if (!name || !units) throw new InvalidArgumentError(`"${part}" should be NAME=UNITS`);
      out[name] = units;
    }
  }
  return out;
}

export function parseCellSize(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of metres');
  return n;
}

export function parseMethod(value: string): ResampleMethod {
  if (!(RESAMPLE_METHODS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${RESAMPLE_METHODS.join(', ')}`);
  return value as ResampleMethod;
}

export interface ImportCliOptions {
  project: string;
  crs?: string;
  cellSize?: number;
  method?: ResampleMethod;
  units?: Record<string, string>;
  variable?: string;
  timeZone?: string;
  timeUnits?: string;
  despike?: boolean;
  fill?: 'laplace' | 'idw' | 'none';
  quiet?: boolean;
}

export async function runImport(files: string[], opts: ImportCliOptions, version: string): Promise<void> {
  let last = '';
  const onProgress = (p: ImportProgress) => {
    if (opts.quiet) return;
    const line = `[${p.index + 1}/${p.total}] ${p.file}: ${p.stage} ${Math.round(p.fraction * 100)}%`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const options: ImportOptions = {
    crs: opts.crs,
    cellSize: opts.cellSize,
    method: opts.method,
    units: opts.units,
    variable: opts.variable,
    timeZone: opts.timeZone,
    timeUnits: opts.timeUnits,
    despike: opts.despike,
    fill: opts.fill,
    onProgress,
    signal: controller.signal,
    toolVersion: version,
  };
  try {
    const t0 = performance.now();
    const { datasets } = await importFiles(files, opts.project, options);
    for (const d of datasets) {
      const s = d.sidecar;
      const grid = s.grid ? `${s.grid.nx} x ${s.grid.ny} cells of ${s.grid.dx} m, ${s.grid.crs}` : `${s.time?.steps ?? 0} rows`;
      const vars = s.variables.map((v) => `${v.name} [${v.units}] ${fmt(v.stats.min)}..${fmt(v.stats.max)}`).join('; ');
      console.log(`${d.entry.id}: ${s.kind}, ${grid}; ${vars}`);
      console.log(`  -> ${d.entry.file} + ${d.entry.sidecar}`);
      for (const w of s.warnings) console.log(`  warning: ${w}`);
    }
    console.log(`imported ${datasets.length} data set${datasets.length === 1 ? '' : 's'} into ${opts.project} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : String(Number(v.toPrecision(6)));
}
