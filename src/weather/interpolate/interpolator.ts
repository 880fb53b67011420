/**
 * Spatial interpolation from stations: an interpolator turns the set of
 * stations with a value (some may be missing at a time) into weights for any
 * target point; the prediction is the weighted sum of the station values.
 * Weights depend on geometry only, so they are computed once per set of
 * stations and reused through time. Coordinates are metres in one metric CRS.
 */

/** Fills `out` (one weight per station, 0 for stations not in use) for the target (x, y). */
export type WeightFunction = (x: number, y: number, out: Float64Array) => void;

export interface Interpolator {
  readonly method: string;
  /** Weights over the stations with use[i] true (at least one). */
  prepare(use: ArrayLike<boolean>): WeightFunction;
}

/** The station-mean baseline: every station in use weighs the same, wherever the target. */
export function stationMean(): Interpolator {
  return {
    method: 'station mean',
    prepare(use) {
      let m = 0;
      for (let i = 0; i < use.length; i++) if (use[i]) m++;
      return (_x, _y, out) => {
        for (let i = 0; i < use.length; i++) out[i] = use[i] ? 1 / m : 0;
      };
    },
  };
}
