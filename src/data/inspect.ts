/**
 * What a data file holds, for `terra inspect` and the `data.inspect` API:
 * format, size, grid, CRS, units (and the project units they import as),
 * range in source and project units, nodata share, spikes, time axis and
 * warnings. The report is plain JSON-safe data (no NaN, no Infinity) so it
 * crosses either transport unchanged; formatting for a terminal lives in
 * src/cli/inspect.ts.
 */
import { resolve } from 'node:path';
import type { InspectReport, InspectStats } from '../api/types';
import { resolveCrs } from '../core/crs';
import { extentOf } from '../core/georef';
import { formatIsoUtc } from '../core/time';
import { conversion, findUnits, PROJECT_UNITS } from '../core/units';
import { FORMAT_NAMES, readDataset, type Dataset, type ReadOptions } from '../io/open';
import { countOnes, rasterSpikes } from './spikes';
import { summaryStats, type SummaryStats } from './stats';

export type { InspectReport, InspectStats } from '../api/types';

export async function inspectFile(path: string, options: ReadOptions = {}): Promise<InspectReport> {
  return inspectDataset(await readDataset(resolve(path), options));
}

/** The report of a data set already read. */
export function inspectDataset(d: Dataset): InspectReport {
  const base = { file: d.file, path: d.path, format: FORMAT_NAMES[d.format], detail: d.detail, bytes: d.bytes, kind: d.kind, warnings: [...d.warnings] };
  if (d.kind === 'station-locations') {
    return { ...base, stations: d.locations.map(({ name, code, lat, lon }) => ({ name, code, lat, lon })) };
  }
  if (d.kind === 'station-series') {
    const s = d.series;
    return {
      ...base,
      time: timeInfo(s.times),
      columns: s.variables.map((v) => ({ name: v.name, units: v.units || '(none)', stats: jsonStats(summaryStats(v.values)) })),
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
  const nodataFraction = stats.nodata / Math.max(1, all.length);
  if (nodataFraction > 0.5) base.warnings.push(`${(100 * nodataFraction).toFixed(1)} % of cells are nodata`);
  const warned = base.warnings.some((w) => /\bunits\b/i.test(w));
  if (!d.units && !warned) base.warnings.push(`"${d.variable}" has no units: give them (e.g. m) to import it`);
  else if (d.units && !info && !warned) base.warnings.push(`"${d.variable}" is in units "${d.units}" that this build does not know: give known units to import it`);
  const importAs = info ? PROJECT_UNITS[info.family] : null;
  let projectRange: InspectReport['projectRange'];
  if (importAs) {
    const c = conversion(d.units, importAs);
    const at = (v: number) => finite(v * c.scale + c.offset);
    projectRange = { min: at(stats.min), max: at(stats.max), units: importAs };
  }
  return {
    ...base,
    grid,
    variable: d.variable,
    units: { units: d.units || '(none)', source: d.unitsSource, importAs },
    stats: jsonStats(stats),
    projectRange,
    nodataFraction,
    spikeCandidates,
    time: d.times ? timeInfo(d.times) : d.frames.length > 1 ? { steps: d.frames.length, start: '?', end: '?', stepSeconds: null } : null,
  };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function jsonStats(s: SummaryStats): InspectStats {
  return {
    count: s.count,
    nodata: s.nodata,
    min: finite(s.min),
    max: finite(s.max),
    mean: finite(s.mean),
    std: finite(s.std),
    median: finite(s.median),
    mad: finite(s.mad),
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
