/** `terra inspect FILE`: format, size, grid, CRS, units, range, nodata share, time axis and warnings of any readable file. */
import type { ReadOptions } from '../io/open';
import { findUnits } from '../core/units';
import { inspectFile, type InspectReport } from '../data/inspect';

const num = (v: number | null | undefined, digits = 6) => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : 'n/a');

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
    const p = r.projectRange;
    if (p && findUnits(r.units!.units)?.symbol !== p.units) row('', `= ${num(p.min)} .. ${num(p.max)} ${p.units}`);
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
