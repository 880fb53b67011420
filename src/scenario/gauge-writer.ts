/** OUTDIR/gauges.csv in the contract's long format, streamed as the run goes. */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Gauge } from './load';

export const GAUGE_HEADER = 'time_s,gauge,depth_m,stage_m,u_m_s,v_m_s';

export class GaugeWriter {
  private readonly stream: WriteStream;
  /** Last sample of each gauge, for progress reports and the engine's frames. */
  readonly latest = new Map<string, { depth: number; stage: number; u: number; v: number }>();

  constructor(
    path: string,
    private readonly gauges: Gauge[],
    private readonly bed: Float64Array,
    private readonly dryTolerance: number,
  ) {
    this.stream = createWriteStream(path);
    this.stream.write(`${GAUGE_HEADER}\n`);
  }

  record(time: number, h: Float64Array, hu: Float64Array, hv: Float64Array): void {
    let rows = '';
    for (const g of this.gauges) {
      const d = h[g.cell]!;
      const wet = d > this.dryTolerance;
      const u = wet ? hu[g.cell]! / d : 0;
      const v = wet ? hv[g.cell]! / d : 0;
      const stage = this.bed[g.cell]! + d;
      this.latest.set(g.name, { depth: d, stage, u, v });
      rows += `${formatGaugeNumber(time)},${g.name},${formatGaugeNumber(d)},${formatGaugeNumber(stage)},${formatGaugeNumber(u)},${formatGaugeNumber(v)}\n`;
    }
    if (rows) this.stream.write(rows);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

export function formatGaugeNumber(x: number): string {
  // 9 significant digits, shortest spelling (1e-10 stays 1e-10: trimming zeros off the text would eat the exponent's)
  return String(Number(x.toPrecision(9)));
}
