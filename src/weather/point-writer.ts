/**
 * OUTDIR/points.csv: the series at stations and requested points, long
 * format `time,point,<variable>_<units>...`, one row per point per time,
 * streamed frame by frame so a stopped run keeps the frames it finished.
 * A point takes the value of the cell holding it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { formatIsoUtc } from '../core/time';
import { OUTPUT_VARIABLES, type OutputName } from './outputs';

export interface PlacedPoint {
  name: string;
  x: number;
  y: number;
  cell: number;
}

export class PointWriter {
  private readonly stream: WriteStream;

  constructor(
    path: string,
    private readonly points: PlacedPoint[],
    private readonly variables: OutputName[],
  ) {
    this.stream = createWriteStream(path);
    this.stream.write(`${['time', 'point', ...variables.map((v) => OUTPUT_VARIABLES[v].column)].join(',')}\n`);
  }

  record(time: number, fields: Partial<Record<OutputName, Float32Array>>): void {
    const t = formatIsoUtc(time);
    let rows = '';
    for (const p of this.points) rows += `${t},${csvName(p.name)},${this.variables.map((v) => fmt(fields[v]![p.cell]!)).join(',')}\n`;
    if (rows) this.stream.write(rows);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

function csvName(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function fmt(x: number): string {
  return Number.isNaN(x) ? '' : Number(x.toPrecision(7)).toString();
}
