/**
 * Drift of one station's forecasts: the rolling RMSE over the last `window`
 * targets against what the held-out test says it should be.
 *
 * The test RMSE alone is the wrong yardstick for a window of weeks: a stormy
 * month doubles every forecast's error and a calm one halves it (on the
 * Irish wind data, a model trained on 1961-1970 crossed 1.5x its test RMSE
 * at every station in the winters of 1975-1978, with nothing wrong). So the
 * expected RMSE is the test RMSE scaled by how hard the window's weather
 * was, measured by persistence's RMSE in the same window against its test
 * RMSE:
 *
 *   expected = rmse_test * max(floor, rmse_persistence(window) / rmse_persistence_test)
 *   ratio    = rmse(window) / expected
 *
 * The floor keeps a nearly constant series (a calm spell, a stuck sensor)
 * from expecting no error at all. The plain rmse / rmse_test is reported
 * beside it. A ratio above the threshold opens an episode; its onset is
 * estimated by CUSUM on the daily excess of squared error over expectation.
 */
import { cusumOnset, episodesAbove, rollingMean, type Episode } from './rolling';

export interface DriftSettings {
  /** Targets per rolling window. */
  window: number;
  /** Ratio above which the window is drifting. */
  threshold: number;
  /** Lowest weather factor (share of the test conditions' persistence RMSE). */
  floor: number;
}

export const DEFAULT_DRIFT: DriftSettings = { window: 30, threshold: 1.5, floor: 0.25 };

/** The held-out test scores of one station (metrics.json). */
export interface TestReference {
  rmse: number;
  persistenceRmse: number;
}

/** One station's targets in time order, in the column's units. */
export interface StationSeries {
  observed: ArrayLike<number>;
  predicted: ArrayLike<number>;
  persistence: ArrayLike<number>;
}

export interface RollingSeries {
  /** Rolling RMSE of the model (NaN until the window is full). */
  rmse: Float64Array;
  /** What the test RMSE predicts for this window's weather. */
  expected: Float64Array;
  ratio: Float64Array;
  /** rmse / test RMSE, without the weather adjustment. */
  plainRatio: Float64Array;
  /** Rolling mean of predicted - observed. */
  bias: Float64Array;
  /** Rolling RMSE of persistence. */
  persistenceRmse: Float64Array;
}

export interface EpisodeIndices {
  /** Estimated first target of the shift. */
  onset: number;
  /** First target whose window crossed the threshold. */
  flagged: number;
  /** First target back at or below it; -1 if still drifting at the end. */
  cleared: number;
  peak: number;
}

export function rollingDrift(series: StationSeries, reference: TestReference, settings: DriftSettings): RollingSeries {
  const n = series.observed.length;
  const err2 = new Float64Array(n);
  const pers2 = new Float64Array(n);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = series.observed[i]!;
    err[i] = series.predicted[i]! - o;
    err2[i] = err[i]! ** 2;
    pers2[i] = (series.persistence[i]! - o) ** 2;
  }
  const mse = rollingMean(err2, settings.window);
  const pmse = rollingMean(pers2, settings.window);
  const bias = rollingMean(err, settings.window);
  // Running sums can leave -1e-16 where a window is all zeros.
  const root = (v: number) => Math.sqrt(Math.max(0, v));
  const rmse = mse.map(root);
  const persistenceRmse = pmse.map(root);
  const expected = persistenceRmse.map((p) => reference.rmse * Math.max(settings.floor, p / reference.persistenceRmse));
  const ratio = rmse.map((r, i) => r / expected[i]!);
  const plainRatio = rmse.map((r) => r / reference.rmse);
  return { rmse, expected, ratio, plainRatio, bias, persistenceRmse };
}

/** Episodes of ratio > threshold, each with its estimated onset. */
export function driftEpisodes(series: StationSeries, reference: TestReference, rolling: RollingSeries, settings: DriftSettings): EpisodeIndices[] {
  const n = series.observed.length;
  // Daily excess over expectation: about zero while the model is as good as on the test years.
  const k = reference.rmse / reference.persistenceRmse;
  const excess = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = series.observed[i]!;
    excess[i] = Math.abs(series.predicted[i]! - o) - k * Math.abs(series.persistence[i]! - o);
  }
  let previousEnd = 0;
  return mergeEpisodes(episodesAbove(rolling.ratio, settings.threshold), settings.window, rolling.ratio).map((e) => {
    // The shift lies in the flagged window or a little before it, after the last episode.
    const from = Math.max(previousEnd, e.start - 3 * settings.window);
    previousEnd = e.end < 0 ? n : e.end;
    // CUSUM against the midpoint between no drift (an excess of 0) and the episode's mean excess (up to 3 windows of it).
    const end = Math.min(e.end < 0 ? n : e.end, e.start + 3 * settings.window);
    let shift = 0;
    for (let i = e.start; i < end; i++) shift += excess[i]! / (end - e.start);
    const centred = excess.map((v) => v - Math.max(0, shift) / 2);
    return { onset: cusumOnset(centred, from, e.start), flagged: e.start, cleared: e.end, peak: e.peak };
  });
}

/** One drift flickering around the threshold is one episode: gaps shorter than a window are closed. */
function mergeEpisodes(episodes: Episode[], gap: number, values: ArrayLike<number>): Episode[] {
  const out: Episode[] = [];
  for (const e of episodes) {
    const last = out.at(-1);
    if (last && last.end >= 0 && e.start - last.end < gap) {
      last.end = e.end;
      if (values[e.peak]! > values[last.peak]!) last.peak = e.peak;
    } else out.push({ ...e });
  }
  return out;
}
