/**
 * Training batches: square patches of the training scenarios, a share of
 * them centred on wet cells, randomly flipped, drawn from the job's seeded
 * generator (so a resumed job draws what the uninterrupted one would have).
 */
import type * as Tf from '@tensorflow/tfjs';
import type { FieldInputs, ScenarioInputs } from '../inputs';
import type { Rng } from '../rng';

export interface PatchScenario {
  inputs: ScenarioInputs;
  /** What the network learns: encoded target (target.ts) minus the baseline, row-major. */
  target: Float32Array;
  /** Cells that are wet in the target, for wet-centred patches. */
  wet: Int32Array;
}

export interface PatchOptions {
  size: number;
  batch: number;
  wetFraction: number;
  augment: boolean;
}

export class PatchSampler {
  private readonly x: Float32Array;
  private readonly y: Float32Array;

  constructor(
    private readonly inputs: FieldInputs,
    private readonly scenarios: PatchScenario[],
    private readonly options: PatchOptions,
    private readonly rng: Rng,
  ) {
    const { size, batch } = options;
    this.x = new Float32Array(batch * size * size * inputs.channels);
    this.y = new Float32Array(batch * size * size);
  }

  /** The next batch as [batch, size, size, channels] inputs and [batch, size, size, 1] targets. */
  next(tf: typeof Tf): { x: Tf.Tensor4D; y: Tf.Tensor4D } {
    const { size, batch, wetFraction, augment } = this.options;
    const { nx, ny, channels } = this.inputs;
    const rng = this.rng;
    for (let b = 0; b < batch; b++) {
      const s = this.scenarios[rng.int(this.scenarios.length)]!;
      let row0: number;
      let col0: number;
      if (s.wet.length > 0 && rng.next() < wetFraction) {
        const k = s.wet[rng.int(s.wet.length)]!;
        // A random position of the wet cell inside the patch, clamped to the grid.
        row0 = Math.floor(k / nx) - rng.int(size);
        col0 = (k % nx) - rng.int(size);
      } else {
        row0 = rng.int(ny - size + 1);
        col0 = rng.int(nx - size + 1);
      }
      row0 = Math.min(Math.max(row0, 0), ny - size);
      col0 = Math.min(Math.max(col0, 0), nx - size);
      const flipRows = augment && rng.next() < 0.5;
      const flipCols = augment && rng.next() < 0.5;
      this.inputs.writePatch(this.x, b * size * size * channels, s.inputs, row0, col0, size, flipRows, flipCols, {
        values: s.target,
        out: this.y,
        offset: b * size * size,
      });
    }
    return { x: tf.tensor4d(this.x, [batch, size, size, channels]), y: tf.tensor4d(this.y, [batch, size, size, 1]) };
  }
}
