/**
 * A probe's time series, sampled at one DEM cell: from a flood run's frames
 * depth, stage (bed + depth, as gauges.csv), velocity components and speed;
 * from the weather's frames temperature, pressure and wind.
 */
import type { RunFrame } from '../stores/run';
import type { WeatherFrame } from '../stores/weather';

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

/** A probe's weather series at one DEM cell: temperature (degC), pressure (hPa) and wind. */
export interface WeatherProbeSeries {
  /** Epoch seconds (UTC). */
  time: number[];
  temperature: number[];
  /** hPa: the frame's Pa / 100. */
  pressure: number[];
  /** Along the grid's east and north axes, and the speed (m/s). */
  u: number[];
  v: number[];
  speed: number[];
}

export function sampleWeather(frames: readonly WeatherFrame[], cell: number): WeatherProbeSeries {
  const series: WeatherProbeSeries = { time: [], temperature: [], pressure: [], u: [], v: [], speed: [] };
  for (const f of frames) {
    const u = f.u[cell]!;
    const v = f.v[cell]!;
    series.time.push(f.time);
    series.temperature.push(f.temperature[cell]!);
    series.pressure.push(f.pressure[cell]! / 100);
    series.u.push(u);
    series.v.push(v);
    series.speed.push(Math.hypot(u, v));
  }
  return series;
}
