/**
 * Probes as CSV in the long format of the engine's gauges.csv (one row per
 * probe per output time), with the probe's map coordinates added, so the
 * same scripts read both.
 */
import type { ProbeSeries } from './series';

export const PROBE_CSV_HEADER = 'time_s,probe,x,y,depth_m,stage_m,u_m_s,v_m_s';

export interface CsvProbe {
  name: string;
  x: number;
  y: number;
  series: ProbeSeries;
}

/** Seven significant digits: what the frames' 32-bit floats hold. */
const num = (value: number) => String(Number(value.toPrecision(7)));

export function probesCsv(probes: readonly CsvProbe[]): string {
  const rows = [PROBE_CSV_HEADER];
  const times = probes[0]?.series.time ?? [];
  times.forEach((time, k) => {
    for (const { name, x, y, series: s } of probes) {
      rows.push([num(time), name, String(x), String(y), num(s.depth[k]!), num(s.stage[k]!), num(s.u[k]!), num(s.v[k]!)].join(','));
    }
  });
  return `${rows.join('\n')}\n`;
}
