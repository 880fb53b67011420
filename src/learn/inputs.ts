/**
 * Network inputs for one grid: the normalised static channels (terrain and
 * response-surface coefficients) in channels-last order ([row, column,
 * channel]), one constant plane per forcing value, and last the response
 * surface at the scenario (response.ts), which is also the baseline the
 * networks' output is added to. Writes training patches (with flips) into
 * caller-owned buffers, and whole padded fields: the static channels once
 * (field), the scenario's channels into them per prediction (writeScenario).
 */
import { TerraError } from '../api/errors';
import type { NormalisationStats } from './dataset/manifest';
import { evaluateResponse, RESPONSE_CHANNELS, responseBasis } from './response';

export interface ChannelNames {
  static: string[];
  forcing: string[];
}

export interface PaddedField {
  /** [height, width, channel]. */
  data: Float32Array;
  height: number;
  width: number;
  /** The grid cell each padded position copies, row-major. */
  cells: Int32Array;
}

/** What a scenario adds to the static channels. */
export interface ScenarioInputs {
  /** Normalised forcing values. */
  forcing: Float32Array;
  /** The response surface at the scenario, encoded target units, row-major. */
  baseline: Float32Array;
}

export class FieldInputs {
  readonly nx: number;
  readonly ny: number;
  /** Static + forcing + the baseline plane. */
  readonly channels: number;
  private readonly staticChannels: number;
  /** Normalised static channels, [row, column, channel]. */
  private readonly stack: Float32Array;
  /** Response-surface coefficients as stored (not normalised), one plane each. */
  private readonly coefficients: Float32Array[];

  constructor(
    staticData: Float32Array,
    nx: number,
    ny: number,
    readonly names: ChannelNames,
    private readonly stats: NormalisationStats,
  ) {
    const cs = names.static.length;
    const n = nx * ny;
    if (staticData.length !== cs * n) {
      throw new TerraError('INVALID_DATA', `static channels: ${staticData.length} values for ${cs} channels of ${nx} x ${ny}`, { field: 'static' });
    }
    const stat = (name: string) => {
      const s = stats.inputs[name];
      if (!s) throw new TerraError('INVALID_DATA', `normalisation: no statistics for channel ${name}`, { field: `stats.inputs.${name}` });
      return s;
    };
    this.coefficients = RESPONSE_CHANNELS.map((name) => {
      const c = names.static.indexOf(name);
      if (c < 0) throw new TerraError('INVALID_DATA', `static channels: no ${name} (the response surface: ${RESPONSE_CHANNELS.join(', ')})`, { field: 'channels.static' });
      return staticData.subarray(c * n, (c + 1) * n);
    });
    names.forcing.forEach(stat);
    this.nx = nx;
    this.ny = ny;
    this.staticChannels = cs;
    this.channels = cs + names.forcing.length + 1;
    this.stack = new Float32Array(n * cs);
    names.static.forEach((name, c) => {
      const { mean, std } = stat(name);
      for (let k = 0; k < n; k++) this.stack[k * cs + c] = (staticData[c * n + k]! - mean) / std;
    });
  }

  /** Normalised forcing and the baseline of a scenario; a non-finite value is an error naming the channel. */
  scenario(forcing: number[]): ScenarioInputs {
    const names = this.names.forcing;
    if (forcing.length !== names.length) {
      throw new TerraError('INVALID_PARAMS', `forcing: ${forcing.length} values for ${names.length} channels (${names.join(', ')})`, { field: 'forcing' });
    }
    const normalised = Float32Array.from(forcing, (v, i) => {
      if (!Number.isFinite(v)) throw new TerraError('INVALID_PARAMS', `forcing: ${names[i]} is ${v}`, { field: names[i] });
      const { mean, std } = this.stats.inputs[names[i]!]!;
      return (v - mean) / std;
    });
    return { forcing: normalised, baseline: evaluateResponse(this.coefficients, responseBasis(normalised, names), this.nx * this.ny) };
  }

  /**
   * Writes the size x size window at (row0, col0), flipped as asked, into
   * `out` from `offset` ([row, column, channel]); with `target`, also its
   * cells into `target.out` from `target.offset`.
   */
  writePatch(
    out: Float32Array,
    offset: number,
    scenario: ScenarioInputs,
    row0: number,
    col0: number,
    size: number,
    flipRows: boolean,
    flipCols: boolean,
    target?: { values: Float32Array; out: Float32Array; offset: number },
  ): void {
    const nx = this.nx;
    let o = offset;
    for (let i = 0; i < size; i++) {
      const r = row0 + (flipRows ? size - 1 - i : i);
      for (let j = 0; j < size; j++) {
        const k = r * nx + col0 + (flipCols ? size - 1 - j : j);
        o = this.writeCell(out, o, k, scenario);
        if (target) target.out[target.offset + i * size + j] = target.values[k]!;
      }
    }
  }

  /**
   * The whole grid padded by edge replication to multiples of `multiple`,
   * [height, width, channel], with the static channels filled in; the
   * scenario's channels are zero until writeScenario.
   */
  field(multiple: number): PaddedField {
    const { nx, ny, channels } = this;
    const cs = this.staticChannels;
    const height = Math.ceil(ny / multiple) * multiple;
    const width = Math.ceil(nx / multiple) * multiple;
    const data = new Float32Array(height * width * channels);
    const cells = new Int32Array(height * width);
    let o = 0;
    for (let i = 0; i < height; i++) {
      const r = Math.min(i, ny - 1);
      for (let j = 0; j < width; j++, o++) {
        const k = r * nx + Math.min(j, nx - 1);
        cells[o] = k;
        for (let c = 0; c < cs; c++) data[o * channels + c] = this.stack[k * cs + c]!;
      }
    }
    return { data, height, width, cells };
  }

  /** Writes a scenario's channels (forcing, then baseline) into a field from `field`. */
  writeScenario(field: PaddedField, scenario: ScenarioInputs): void {
    const { channels } = this;
    const cs = this.staticChannels;
    const f = scenario.forcing;
    const { data, cells } = field;
    for (let o = 0; o < cells.length; o++) {
      const at = o * channels + cs;
      for (let c = 0; c < f.length; c++) data[at + c] = f[c]!;
      data[at + f.length] = scenario.baseline[cells[o]!]!;
    }
  }

  /** The static channels of the given cells, one row of `channels` values each; the scenario's are zero until writeScenarioRows. */
  cellRows(cells: Int32Array): Float32Array {
    const { channels } = this;
    const cs = this.staticChannels;
    const data = new Float32Array(cells.length * channels);
    cells.forEach((k, i) => data.set(this.stack.subarray(k * cs, (k + 1) * cs), i * channels));
    return data;
  }

  /** Writes a scenario's channels (forcing, then baseline) into rows from `cellRows`. */
  writeScenarioRows(data: Float32Array, cells: Int32Array, scenario: ScenarioInputs): void {
    const { channels } = this;
    const cs = this.staticChannels;
    const f = scenario.forcing;
    cells.forEach((k, i) => {
      const at = i * channels + cs;
      data.set(f, at);
      data[at + f.length] = scenario.baseline[k]!;
    });
  }

  private writeCell(out: Float32Array, o: number, k: number, scenario: ScenarioInputs): number {
    const cs = this.staticChannels;
    for (let c = 0; c < cs; c++) out[o + c] = this.stack[k * cs + c]!;
    const f = scenario.forcing;
    for (let c = 0; c < f.length; c++) out[o + cs + c] = f[c]!;
    out[o + cs + f.length] = scenario.baseline[k]!;
    return o + this.channels;
  }
}
