/** `terra inspect FILE`: format, size, grid, CRS, units, range, nodata share, time axis and warnings of any readable file. */
import { resolve } from 'node:path';
import { resolveCrs } from '../core/crs';
import { extentOf } from '../core/georef';
import { formatIsoUtc } from '../core/time';
import { conversion, findUnits, PROJECT_UNITS } from '../core/units';
import { countOnes, rasterSpikes } from '../data/spikes';
import { summaryStats, type SummaryStats } from '../data/stats';
import { FORMAT_NAMES, readDataset, type Dataset, type ReadOptions } from '../io/open';

export interface InspectReport {
  file: string;
  path: string;
  format: string;
  detail: string;
  bytes: number;
  kind: Dataset['kind'];
  grid?: {
    kind: 'regular' | 'curvilinear';
    nx: number;
    ny: number;
    cells: number;
    crs: string;
    crsTitle: string;
    dx?: number;
    dy?: number;
    dxMetres?: number;
    dyMetres?: number;
    extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
    lonRange?: [number, number];
    latRange?: [number, number];
  };
  variable?: string;
  units?: { units: string; source: string; importAs: string | null };
  stats?: SummaryStats;
  spikeCandidates?: number;
  time?: { steps: number; start: string; end: string; stepSeconds: number | null } | null;
  columns?: Array<{ name: string; units: string; stats: SummaryStats }>;
  labels?: string[];
  stations?: Array<{ name: string; code: string; lat: number; lon: number }>;
  warnings: string[];
}

export async function inspectFile(path: string, options: ReadOptions = {}): Promise<InspectReport> {
  const d = await readDataset(resolve(path), options);
  const base = { file: d.file, path: d.path, format: FORMAT_NAMES[d.format], detail: d.detail, bytes: d.bytes, kind: d.kind, warnings: [...d.warnings] };
  if (d.kind === 'station-locations') {
    return { ...base, stations: d.locations.map(({ name, code, lat, lon }) => ({ name, code, lat, lon })) };
  }
  if (d.kind === 'station-series') {
    const s = d.series;
    return {
      ...base,
      time: timeInfo(s.times),
      columns: s.variables.map((v) => ({ name: v.name, units: v.units || '(none)', stats: summaryStats(v.values) })),
      labels: s.labels.map((l) => l.name),
    };
  }
  let all = d.frames[0]!;
  if (d.frames.length > 1) {
    all = new Float32Array(d.frames.length * all.length);
    d.frames.forEach((f, k) => all.set(f, k * f.length));
  }
  const stats = summaryStats(all);
  const info = findUnits(d.units);
  let grid: InspectReport['grid'];
  let spikeCandidates: number | undefined;
  if (d.geometry.kind === 'regular') {
    const g = d.geometry.georef;
    let crsTitle = g.crs === 'unknown' ? 'unknown (no CRS in the file)' : g.crs;
    try {
      if (g.crs !== 'unknown') crsTitle = resolveCrs(g.crs).title;
    } catch {
      crsTitle = `${g.crs} (not known to this build)`;
    }
    grid = { kind: 'regular', nx: g.nx, ny: g.ny, cells: g.nx * g.ny, crs: g.crs, crsTitle, dx: g.dx, dy: g.dy, dxMetres: g.dxMetres, dyMetres: g.dyMetres, extent: extentOf(g) };
    if (d.frames.length === 1) spikeCandidates = countOnes(rasterSpikes(d.frames[0]!, g.nx, g.ny));
  } else {
    const { nx, ny, lon, lat } = d.geometry.coords;
    const range = (a: Float64Array): [number, number] => a.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
    grid = { kind: 'curvilinear', nx, ny, cells: nx * ny, crs: 'EPSG:4326 (2D coordinates)', crsTitle: 'curvilinear: 2D longitude/latitude per cell', lonRange: range(lon), latRange: range(lat) };
  }
  if (stats.nodata / Math.max(1, all.length) > 0.5) base.warnings.push(`${((100 * stats.nodata) / all.length).toFixed(1)} % of cells are nodata`);
  return {
    ...base,
    grid,
    variable: d.variable,
    units: { units: d.units || '(none)', source: d.unitsSource, importAs: info ? PROJECT_UNITS[info.family] : null },
    stats,
    spikeCandidates,
    time: d.times ? timeInfo(d.times) : d.frames.length > 1 ? { steps: d.frames.length, start: '?', end: '?', stepSeconds: null } : null,
  };
}

function timeInfo(times: Float64Array): InspectReport['time'] {
  if (times.length === 0) return null;
  const steps = new Set<number>();
  for (let i = 1; i < times.length && steps.size < 3; i++) steps.add(times[i]! - times[i - 1]!);
  return {
    steps: times.length,
    start: formatIsoUtc(times[0]!),
    end: formatIsoUtc(times[times.length - 1]!),
    stepSeconds: steps.size === 1 ? [...steps][0]! / 1000 : null,
  };
}

const num = (v: number, digits = 6) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : 'n/a');

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds} s`;
}

export function formatInspect(r: InspectReport): string {
  const lines = [r.file, `  format      ${r.format} (${r.detail}), ${sizeText(r.bytes)}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(11)} ${text}`);
  if (r.grid) {
    const g = r.grid;
    row('grid', `${g.nx} x ${g.ny} cells (${num(g.cells / 1e6, 3)} M)${g.kind === 'curvilinear' ? ', curvilinear' : ''}`);
    if (g.kind === 'regular') {
      const unit = /4326|4269|4258|4674|4283/.test(g.crs) ? ' deg' : g.crs === 'unknown' ? '' : ' m';
      row('cell size', `${num(g.dx!)} x ${num(g.dy!)}${unit} (~${num(g.dxMetres!, 4)} x ${num(g.dyMetres!, 4)} m on the ground)`);
      row('extent', `x ${num(g.extent!.xmin, 9)} .. ${num(g.extent!.xmax, 9)}, y ${num(g.extent!.ymin, 9)} .. ${num(g.extent!.ymax, 9)}`);
    } else {
      row('extent', `lon ${num(g.lonRange![0])} .. ${num(g.lonRange![1])}, lat ${num(g.latRange![0])} .. ${num(g.latRange![1])}`);
    }
    row('CRS', g.crsTitle.startsWith(g.crs) ? g.crsTitle : `${g.crs} - ${g.crsTitle}`);
  }
  if (r.variable) row('variable', r.variable);
  if (r.units) {
    const from =
      r.units.source === 'none'
        ? 'none in the file'
        : r.units.source === 'assumed'
          ? `${r.units.units} (assumed: the format stores no units)`
          : `${r.units.units} (from the ${r.units.source})`;
    row('units', `${from}${r.units.importAs ? `; imported as ${r.units.importAs}` : '; give units (--units) to import'}`);
  }
  if (r.stats) {
    const s = r.stats;
    const total = s.count + s.nodata;
    row('range', `${num(s.min)} .. ${num(s.max)} (mean ${num(s.mean)}, std ${num(s.std)}, median ${num(s.median)})`);
    if (r.units?.importAs && findUnits(r.units.units) && findUnits(r.units.units)!.symbol !== r.units.importAs) {
      const c = conversion(r.units.units, r.units.importAs);
      row('', `= ${num(s.min * c.scale + c.offset)} .. ${num(s.max * c.scale + c.offset)} ${r.units.importAs}`);
    }
    row('nodata', `${((100 * s.nodata) / Math.max(1, total)).toFixed(2)} % (${s.nodata} of ${total} values)`);
  }
  if (r.spikeCandidates !== undefined) row('spikes', `${r.spikeCandidates} candidate cell${r.spikeCandidates === 1 ? '' : 's'} (robust z > 5 against the 8 neighbours)`);
  if (r.time) row('time', `${r.time.steps} steps, ${r.time.start} .. ${r.time.end}${r.time.stepSeconds ? `, every ${duration(r.time.stepSeconds)}` : ''}`);
  else if (r.time === null && r.kind === 'grid') row('time', 'none (a single grid)');
  if (r.columns) {
    row('columns', '');
    for (const c of r.columns) {
      const s = c.stats;
      lines.push(`    ${c.name.padEnd(14)} ${c.units.padEnd(8)} ${num(s.min)} .. ${num(s.max)} (mean ${num(s.mean, 4)}), ${s.nodata} missing`);
    }
    if (r.labels?.length) row('labels', r.labels.join(', '));
  }
  if (r.stations) {
    row('stations', `${r.stations.length}`);
    for (const s of r.stations) lines.push(`    ${s.code.padEnd(6)} ${s.name.padEnd(16)} ${s.lat.toFixed(4)} N, ${s.lon.toFixed(4)} E`);
  }
  if (r.warnings.length) {
    row('warnings', '');
    for (const w of r.warnings) lines.push(`    - ${w}`);
  } else row('warnings', 'none');
  return lines.join('\n');
}

export async function runInspect(files: string[], options: ReadOptions & { json?: boolean }): Promise<void> {
  const reports: InspectReport[] = [];
  for (const f of files) reports.push(await inspectFile(f, options));
  if (options.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
  else console.log(reports.map(formatInspect).join('\n\n'));
}
