/**
 * Per-cell extremes over a run, updated after every solver step (not only at
 * output times, so peaks between outputs are kept): max depth, max speed,
 * hazard (max of depth x speed = |q|), first-arrival time.
 */
export class FloodMaxima {
  readonly maxDepth: Float32Array;
  readonly maxSpeed: Float32Array;
  readonly hazard: Float32Array;
  /** Seconds; NaN where water never arrived. */
  readonly arrival: Float32Array;

  constructor(
    cells: number,
    private readonly dryTolerance: number,
    private readonly arrivalDepth: number,
  ) {
    this.maxDepth = new Float32Array(cells);
    this.maxSpeed = new Float32Array(cells);
    this.hazard = new Float32Array(cells);
    this.arrival = new Float32Array(cells).fill(NaN);
  }

  update(time: number, h: Float64Array, hu: Float64Array, hv: Float64Array): void {
    const { maxDepth, maxSpeed, hazard, arrival, dryTolerance, arrivalDepth } = this;
    for (let i = 0; i < h.length; i++) {
      const d = h[i]!;
      if (d <= dryTolerance) continue;
      if (d > maxDepth[i]!) maxDepth[i] = d;
      const q = Math.hypot(hu[i]!, hv[i]!);
      if (q > hazard[i]!) hazard[i] = q;
      const speed = q / d;
      if (speed > maxSpeed[i]!) maxSpeed[i] = speed;
      if (d >= arrivalDepth && Number.isNaN(arrival[i]!)) arrival[i] = time;
    }
  }
}
