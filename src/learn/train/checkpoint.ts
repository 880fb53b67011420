/**
 * Training checkpoints in MODEL_DIR/checkpoint: the weights, the best
 * weights so far, the optimiser's state (Adam moments, momentum) and the
 * trainer's state (epoch, generator, early-stopping counters, history).
 * Binary files carry the epoch in their names and checkpoint.json, written
 * last and atomically, names them: a crash while saving leaves the previous
 * checkpoint whole. Files of older epochs are removed afterwards.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { isDeepStrictEqual } from 'node:util';
import { TerraError } from '../../api/errors';
import { writeFileAtomic } from '../../core/atomic-write';
import type { ModelConfig } from '../models/config';

export const CHECKPOINT_DIR = 'checkpoint';
const STATE_FILE = 'checkpoint.json';
const CHECKPOINT_VERSION = 1;

export interface EpochRecord {
  epoch: number;
  loss: number;
  val_loss: number;
  learning_rate: number;
  samples_per_s: number;
  seconds: number;
}

export interface TrainerState {
  /** Epochs completed. */
  epoch: number;
  rng: number;
  best_val: number | null;
  best_epoch: number;
  bad_epochs: number;
  history: EpochRecord[];
  /** Training wall time so far (s). */
  elapsed_s: number;
}

interface CheckpointFile {
  format: 'terra-checkpoint';
  version: number;
  model: ModelConfig;
  channels: string[];
  state: TrainerState;
  files: { weights: string; best: string | null; optimiser: string };
  specs: { weights: Tf.io.WeightsManifestEntry[]; best: Tf.io.WeightsManifestEntry[] | null; optimiser: Tf.io.WeightsManifestEntry[] };
}

export interface Checkpoint {
  state: TrainerState;
  /** Best weights so far, by weight name (the caller disposes them). */
  best: Tf.NamedTensorMap | null;
}

type Named = { name: string; tensor: Tf.Tensor };

export async function saveCheckpoint(
  tf: typeof Tf,
  modelDir: string,
  parts: { model: Tf.LayersModel; best: Named[] | null; optimiser: Tf.Optimizer; config: ModelConfig; channels: string[]; state: TrainerState },
): Promise<void> {
  const dir = join(modelDir, CHECKPOINT_DIR);
  const tag = `e${String(parts.state.epoch).padStart(5, '0')}`;
  const weights = await tf.io.encodeWeights(namedWeights(parts.model));
  const best = parts.best ? await tf.io.encodeWeights(parts.best) : null;
  const optimiser = await tf.io.encodeWeights(await parts.optimiser.getWeights());
  const files = { weights: `${tag}.weights.bin`, best: best ? `${tag}.best.bin` : null, optimiser: `${tag}.optimiser.bin` };
  await writeFileAtomic(join(dir, files.weights), new Uint8Array(weights.data));
  if (best) await writeFileAtomic(join(dir, files.best!), new Uint8Array(best.data));
  await writeFileAtomic(join(dir, files.optimiser), new Uint8Array(optimiser.data));
  const file: CheckpointFile = {
    format: 'terra-checkpoint',
    version: CHECKPOINT_VERSION,
    model: parts.config,
    channels: parts.channels,
    state: parts.state,
    files,
    specs: { weights: weights.specs, best: best?.specs ?? null, optimiser: optimiser.specs },
  };
  await writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(file));
  const keep = new Set(Object.values(files));
  for (const f of await readdir(dir)) if (f.endsWith('.bin') && !keep.has(f)) await rm(join(dir, f), { force: true });
}

/** True when MODEL_DIR has a checkpoint to resume from. */
export async function hasCheckpoint(modelDir: string): Promise<boolean> {
  return readFile(join(modelDir, CHECKPOINT_DIR, STATE_FILE)).then(
    () => true,
    () => false,
  );
}

/** Restores weights and optimiser state into `model` and `optimiser`; checks the checkpoint fits them. */
export async function loadCheckpoint(
  tf: typeof Tf,
  modelDir: string,
  into: { model: Tf.LayersModel; optimiser: Tf.Optimizer; config: ModelConfig; channels: string[] },
): Promise<Checkpoint> {
  const dir = join(modelDir, CHECKPOINT_DIR);
  const stateFile = join(dir, STATE_FILE);
  const fail = (field: string, problem: string) => new TerraError('INVALID_DATA', `${stateFile}: ${field}: ${problem}`, { file: stateFile, field });
  let file: CheckpointFile;
  try {
    file = JSON.parse(await readFile(stateFile, 'utf8')) as CheckpointFile;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TerraError('NOT_FOUND', `${stateFile}: no checkpoint to resume from`, { file: stateFile });
    throw fail('(root)', `unreadable checkpoint (${code ?? (err as Error).message})`);
  }
  if (file.format !== 'terra-checkpoint') throw fail('format', 'not a Terra Twin checkpoint');
  if (file.version !== CHECKPOINT_VERSION) throw fail('version', `checkpoint version ${file.version}; this Terra Twin reads version ${CHECKPOINT_VERSION}`);
  if (!isDeepStrictEqual(file.model, into.config)) throw fail('model', 'the checkpoint was made with another network configuration; train into a new folder or restore the config');
  if (!isDeepStrictEqual(file.channels, into.channels)) throw fail('channels', `checkpoint channels ${file.channels.join(', ')} differ from the dataset's ${into.channels.join(', ')}`);
  const decode = async (name: string, specs: Tf.io.WeightsManifestEntry[]) => {
    const path = join(dir, name);
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (err) {
      throw new TerraError('INVALID_DATA', `${path}: missing checkpoint data (${(err as NodeJS.ErrnoException).code ?? ''})`, { file: path });
    }
    return tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, specs);
  };
  const weights = await decode(file.files.weights, file.specs.weights);
  into.model.loadWeights(weights);
  tf.dispose(Object.values(weights));
  const optimiser = await decode(file.files.optimiser, file.specs.optimiser);
  await into.optimiser.setWeights(file.specs.optimiser.map((s) => ({ name: s.name, tensor: optimiser[s.name]! })));
  tf.dispose(Object.values(optimiser)); // the optimiser's variables hold their own references
  const best = file.files.best && file.specs.best ? await decode(file.files.best, file.specs.best) : null;
  return { state: file.state, best };
}

/** The model's weights by their fixed layer-based names. */
export function namedWeights(model: Tf.LayersModel): Named[] {
  const values = model.getWeights();
  return model.weights.map((w, i) => ({ name: w.originalName, tensor: values[i]! }));
}
