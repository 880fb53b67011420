/**
 * A probe's time series, sampled from the run's frames at one DEM cell:
 * depth, stage (bed + depth, as gauges.csv), velocity components and speed.
 */
import type { RunFrame } from '../stores/run';

export interface ProbeSeries {
  time: number[];
  depth: number[];
  stage: number[];
  /** Eastward and northward velocity (m/s). */
  u: number[];
  v: number[];
  speed: number[];
}

export function sampleProbe(frames: readonly RunFrame[], cell: number, bed: number): ProbeSeries {
  const series: ProbeSeries = { time: [], depth: [], stage: [], u: [], v: [], speed: [] };
  for (const f of frames) {
    const depth = f.depth[cell]!;
    const u = f.u[cell]!;
    const v = f.v[cell]!;
    series.time.push(f.time);
    series.depth.push(depth);
    series.stage.push(bed + depth);
    series.u.push(u);
    series.v.push(v);
    series.speed.push(Math.hypot(u, v));
  }
  return series;
}
