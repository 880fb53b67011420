/**
 * Whole-grid prediction: the padded input field through the network, the
 * padding cropped off. FieldPredictor gives the network's own output (what
 * the training loss sees), keeping the assembled static channels between
 * calls; CellPredictor does the same for a per-cell network on the reach
 * cells only (reach.ts); Surrogate adds the response-surface baseline and
 * gives metres.
 */
import type * as Tf from '@tensorflow/tfjs';
import { forcingVector } from './dataset/family';
import type { NormalisationStats } from './dataset/manifest';
import { FieldInputs, type ChannelNames, type PaddedField, type ScenarioInputs } from './inputs';
import { sizeMultiple, type ModelConfig } from './models/config';
import { loadModel, type SavedModel } from './models/store';
import { decodeTarget } from './target';

export class FieldPredictor {
  private readonly field: PaddedField;

  constructor(
    private readonly tf: typeof Tf,
    private readonly model: Tf.LayersModel,
    private readonly inputs: FieldInputs,
    multiple: number,
  ) {
    this.field = inputs.field(multiple);
  }

  /** The network's output over the grid, row-major. */
  async residual(scenario: ScenarioInputs): Promise<Float32Array> {
    const { tf, inputs, field } = this;
    inputs.writeScenario(field, scenario);
    const out = tf.tidy(() => {
      const y = this.model.predict(tf.tensor4d(field.data, [1, field.height, field.width, inputs.channels])) as Tf.Tensor4D;
      return field.height === inputs.ny && field.width === inputs.nx ? y : y.slice([0, 0, 0, 0], [1, inputs.ny, inputs.nx, 1]);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }
}

/** A per-cell network's output on the given cells only (zero elsewhere), as one [1, 1, cells, channels] batch. */
export class CellPredictor {
  private readonly data: Float32Array;

  constructor(
    private readonly tf: typeof Tf,
    private readonly model: Tf.LayersModel,
    private readonly inputs: FieldInputs,
    private readonly cells: Int32Array,
  ) {
    this.data = inputs.cellRows(cells);
  }

  async residual(scenario: ScenarioInputs): Promise<Float32Array> {
    const { tf, inputs, cells, data } = this;
    inputs.writeScenarioRows(data, cells, scenario);
    const out = tf.tidy(() => this.model.predict(tf.tensor4d(data, [1, 1, cells.length, inputs.channels])) as Tf.Tensor4D);
    try {
      const values = (await out.data()) as Float32Array;
      const field = new Float32Array(inputs.nx * inputs.ny);
      cells.forEach((k, i) => (field[k] = values[i]!));
      return field;
    } finally {
      out.dispose();
    }
  }
}

/** A loaded model ready to map rain scenarios to max-depth fields on its grid. */
export class Surrogate {
  readonly inputs: FieldInputs;
  private readonly predictor: FieldPredictor | CellPredictor;

  constructor(
    private readonly tf: typeof Tf,
    readonly saved: SavedModel,
  ) {
    const { meta, stats } = saved;
    this.inputs = new FieldInputs(saved.static, meta.grid.nx, meta.grid.ny, meta.inputs, stats);
    // a per-cell network needs no neighbours: evaluate it on the reach only
    this.predictor =
      meta.config.model.kind === 'mlp' && saved.reach
        ? new CellPredictor(tf, saved.model, this.inputs, saved.reach)
        : new FieldPredictor(tf, saved.model, this.inputs, sizeMultiple(meta.config.model));
  }

  static async load(dir: string): Promise<Surrogate> {
    const tf = await import('@tensorflow/tfjs');
    return new Surrogate(tf, await loadModel(dir));
  }

  get names(): ChannelNames {
    return this.saved.meta.inputs;
  }

  get stats(): NormalisationStats {
    return this.saved.stats;
  }

  get modelConfig(): ModelConfig {
    return this.saved.meta.config.model;
  }

  /** Max depth (m) on the model's grid, row-major, row 0 north. */
  async predict(scenario: { intensity_mm_h: number; duration_min: number }): Promise<Float32Array> {
    const inputs = this.inputs.scenario(forcingVector(scenario));
    const encoded = await this.predictor.residual(inputs);
    for (let k = 0; k < encoded.length; k++) encoded[k]! += inputs.baseline[k]!;
    return decodeTarget(encoded, this.stats.target);
  }

  /** The response surface alone (no network): the baseline the network improves on. */
  baseline(scenario: { intensity_mm_h: number; duration_min: number }): Float32Array {
    return decodeTarget(this.inputs.scenario(forcingVector(scenario)).baseline, this.stats.target);
  }

  dispose(): void {
    this.saved.model.dispose();
  }
}
