/**
 * Station values onto many target points (a site's cells) through time. The
 * weights of every target are kept for the current set of stations with a
 * value and recomputed only when that set changes (a station going missing).
 */
import type { Interpolator } from './interpolator';

export class StationGridInterpolator {
  private key = '';
  private weights = new Float32Array(0);

  constructor(
    private readonly interp: Interpolator,
    /** Target coordinates (m, same CRS as the stations'). */
    private readonly tx: Float64Array,
    private readonly ty: Float64Array,
    private readonly stations: number,
  ) {}

  /** Values at the targets from one value per station (NaN: missing); all NaN when no station has one. */
  apply(values: ArrayLike<number>): Float32Array {
    const ns = this.stations;
    const use = Array.from({ length: ns }, (_, i) => values[i] === values[i]);
    const out = new Float32Array(this.tx.length);
    if (!use.some(Boolean)) return out.fill(NaN);
    const key = use.map(Number).join('');
    if (key !== this.key) {
      const f = this.interp.prepare(use);
      const w = new Float64Array(ns);
      this.weights = new Float32Array(this.tx.length * ns);
      for (let k = 0; k < this.tx.length; k++) {
        f(this.tx[k]!, this.ty[k]!, w);
        this.weights.set(w, k * ns);
      }
      this.key = key;
    }
    const v = Float64Array.from({ length: ns }, (_, i) => (use[i] ? values[i]! : 0));
    const wts = this.weights;
    for (let k = 0; k < out.length; k++) {
      let s = 0;
      const base = k * ns;
      for (let i = 0; i < ns; i++) s += wts[base + i]! * v[i]!;
      out[k] = s;
    }
    return out;
  }
}
