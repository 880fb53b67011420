/**
 * The caller's forcing functions (boundary stages, rain, point inflows) run on
 * the CPU; this module evaluates them, with the CPU solver's checks, either
 * for one step (step(): exactly the CPU solver's times) or as a table for a
 * batch of GPU-clocked steps (advanceTo()).
 *
 * The table holds samples + 1 rows over [t0, t0 + span], each row: rain
 * (uniform rate), the four stages (minus zRef), the inflow discharges. The
 * clock kernel interpolates it linearly at each step's own times, so a smooth
 * series is followed to O(interval^2) and a jump is spread over one interval.
 * A rain function that returns a per-cell field cannot be tabulated per step:
 * a batch then holds one field, evaluated at the batch's middle, and lasts at
 * most `rainFieldInterval` seconds (piecewise constant in time).
 */
import { TerraError } from '../../../api/errors';
import { GRAVITY, INERTIAL_ALPHA, SIDES } from '../constants';
import type { FloodSetup } from '../types';
import { stageAt } from '../validate';
import { FORCING_FIXED, FORCING_HEADER } from './layout';

export type RainValue = { kind: 'none' } | { kind: 'uniform'; rate: number } | { kind: 'field'; field: Float64Array };

/** The largest rain rate (m/s) of a rain value. */
export function rainMax(rain: RainValue): number {
  if (rain.kind === 'uniform') return rain.rate;
  if (rain.kind === 'none') return 0;
  let max = 0;
  for (let k = 0; k < rain.field.length; k++) if (rain.field[k]! > max) max = rain.field[k]!;
  return max;
}

/**
 * The CPU solver's rain step bound (../solver.ts rainLimitedDt, private there):
 * rain wets dry ground within a step, and its waves are not in the CFL limit of
 * the state (a still, dry domain has none), so dt is bounded such that water
 * from rain alone obeys it: dt * 2 sqrt(g r dt) / d <= 1/2 (fv), with the
 * inertial factor 4 alpha. Infinity without rain. The clock kernel has the same formula.
 */
export function rainLimitedDt(scheme: 'fv' | 'inertial', cfl: number, dx: number, dy: number, r: number): number {
  if (!(r > 0)) return Infinity;
  const d = Math.min(dx, dy);
  const factor = scheme === 'fv' ? 1 : 4 * INERTIAL_ALPHA;
  return cfl * Math.pow((factor * d) / (4 * Math.sqrt(GRAVITY * r)), 2 / 3);
}

function rainError(t: number, what: string): TerraError {
  return new TerraError('INVALID_PARAMS', `flood rain(${t}) ${what}; rain rates must be finite and >= 0 (m/s)`, { field: 'rain' });
}

export class FloodForcing {
  readonly nInflows: number;
  readonly hasRain: boolean;
  private readonly field: Float64Array;

  constructor(
    private readonly setup: FloodSetup,
    private readonly stages: readonly (((t: number) => number) | undefined)[],
    private readonly zRef: number,
    cells: number,
  ) {
    this.nInflows = setup.inflows?.length ?? 0;
    this.hasRain = setup.rain !== undefined;
    this.field = new Float64Array(this.hasRain ? cells : 0);
  }

  /** Stage (minus zRef) per side at time t; 0 where the side is not a stage. */
  stagesAt(t: number, out: Float32Array | number[], offset = 0): void {
    for (let s = 0; s < 4; s++) {
      const fn = this.stages[s];
      out[offset + s] = fn ? stageAt(SIDES[s]!, fn, t) - this.zRef : 0;
    }
  }

  /** Rain at time t, checked like the CPU solver's writeRain. A field is this object's scratch array (copy it to keep it). */
  rainAt(t: number): RainValue {
    if (!this.setup.rain) return { kind: 'none' };
    const r = this.setup.rain(t, this.field);
    if (typeof r === 'number') {
      if (!Number.isFinite(r) || r < 0) throw rainError(t, `returned ${r}`);
      return { kind: 'uniform', rate: r };
    }
    if (!ArrayBuffer.isView(r) || r.length !== this.field.length) throw rainError(t, `must return a number or ${this.field.length} values`);
    if (r !== this.field) this.field.set(r);
    for (let k = 0; k < this.field.length; k++) {
      const v = this.field[k]!;
      if (!(v >= 0) || v === Infinity) throw rainError(t, `gave ${v} at cell ${k}`);
    }
    return { kind: 'field', field: this.field };
  }

  /** Inflow discharges (m^3/s) at time t, checked like the CPU solver's readInflows. */
  inflowsAt(t: number, out: Float32Array | number[], offset = 0): void {
    const inflows = this.setup.inflows ?? [];
    for (let i = 0; i < inflows.length; i++) {
      const q = inflows[i]!.discharge(t);
      if (typeof q !== 'number' || !Number.isFinite(q)) {
        throw new TerraError('INVALID_PARAMS', `flood inflows[${i}].discharge(${t}) returned ${String(q)}; discharges must be finite (m^3/s)`, {
          field: `inflows[${i}].discharge`,
        });
      }
      out[offset + i] = q;
    }
  }

  get stride(): number {
    return FORCING_FIXED + this.nInflows;
  }

  /**
   * The forcing table of a batch starting at t0 and lasting at most `span`
   * (samples + 1 rows, spacing span / samples). Returns the table (header +
   * rows) and the span the batch may cover: up to the first row at which the
   * rain turns from a number into a field (that row holds the previous rain
   * and the rows after it are never reached; the next batch starts the field).
   * With tabulateRain false (a field batch) the rain column is 0.
   */
  table(t0: number, span: number, samples: number, tabulateRain: boolean): { data: ArrayBuffer; span: number } {
    const stride = this.stride;
    const m = span > 0 ? samples : 0;
    const rows = m + 1;
    const buf = new ArrayBuffer((FORCING_HEADER + rows * stride) * 4);
    const u = new Uint32Array(buf);
    const f = new Float32Array(buf);
    u[0] = rows;
    u[1] = stride;
    f[2] = m > 0 ? span / m : 1;
    let covered = span;
    for (let r = 0; r < rows; r++) {
      const t = r === m ? t0 + span : t0 + (span * r) / m;
      const o = FORCING_HEADER + r * stride;
      const rain: RainValue = tabulateRain ? this.rainAt(t) : { kind: 'none' };
      if (rain.kind === 'field') {
        if (r === 0) throw new TerraError('INTERNAL', 'flood forcing: a field rain batch was tabulated as uniform');
        covered = t - t0;
        for (let c = 0; c < stride; c++) f[o + c] = f[o - stride + c]!;
        break;
      }
      f[o] = rain.kind === 'uniform' ? rain.rate : 0;
      this.stagesAt(t, f, o + 1);
      this.inflowsAt(t, f, o + FORCING_FIXED);
    }
    return { data: buf, span: covered };
  }
}
