/**
 * `terra train DATASET --out MODEL_DIR`: trains a surrogate (learn/train/
 * trainer.ts) with the config of --config (JSON, learn/models/config.ts) and
 * flags on top. Prints the backend and why, a bar per epoch on a terminal
 * (a line per epoch otherwise). Ctrl-C stops after the current batch; the
 * checkpoint of the last finished epoch stays and --resume continues it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import { loadDataset } from '../learn/dataset/load';
import { learnConfigSchema, type LearnConfig } from '../learn/models/config';
import { train } from '../learn/train/trainer';

export interface TrainCliOptions {
  out: string;
  config?: string;
  model?: 'unet' | 'mlp';
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  backend?: string;
  resume?: boolean;
  quiet?: boolean;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer >= 0');
  return n;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export async function runTrain(datasetDir: string, opts: TrainCliOptions, version: string): Promise<void> {
  const log = (line: string) => !opts.quiet && console.error(line);
  const config = await configFrom(opts);
  const dataset = await loadDataset(resolve(datasetDir));
  const out = resolve(opts.out);
  const m = config.model;
  log(
    `${m.kind === 'unet' ? `U-Net ${m.widths.join('/')}` : `MLP ${m.hidden.join('/')}`}, ${config.training.optimiser.name}, ` +
      `lr ${config.training.learning_rate}, ${config.training.epochs} epochs x ${config.training.batches_per_epoch} batches of ${config.training.batch_size} -> ${out}`,
  );

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    log('\nStopping after this batch: the last epoch\'s checkpoint stays; --resume continues it (Ctrl-C again to quit at once)...');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY && !opts.quiet;
  const bar = tty ? new SingleBar({ format: ' epoch {epoch}/{epochs} {bar} {value}/{total} | loss {loss} | {rate} samples/s', hideCursor: true }, Presets.shades_classic) : null;
  try {
    const result = await train({
      dataset,
      config,
      outDir: out,
      terraVersion: version,
      backend: opts.backend,
      resume: opts.resume,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'backend') {
          log(`backend: ${e.report.backend} (tfjs ${e.report.tfjs})`);
          for (const note of e.report.notes) log(`  skipped ${note}`);
        } else if (e.type === 'resumed') log(`resumed after epoch ${e.epoch}`);
        else if (e.type === 'batch' && bar) {
          if (e.batch === 0) bar.start(e.batches, 0, { epoch: e.epoch + 1, epochs: e.epochs, loss: '-', rate: '-' });
          bar.update(e.batch + 1, { loss: e.loss.toFixed(4), rate: e.samplesPerS.toFixed(1) });
        } else if (e.type === 'epoch') {
          bar?.stop();
          const r = e.record;
          log(
            `epoch ${r.epoch}/${e.epochs}: loss ${r.loss.toFixed(4)}, val ${r.val_loss.toFixed(4)}${e.improved ? ' *' : ''}, ` +
              `lr ${r.learning_rate.toExponential(2)}, ${r.samples_per_s.toFixed(1)} samples/s, ${r.seconds.toFixed(1)} s`,
          );
        } else if (e.type === 'early-stop') log(`early stop at epoch ${e.epoch}: best was epoch ${e.bestEpoch}`);
      },
    });
    bar?.stop();
    if (result.status === 'cancelled') {
      log(`cancelled after ${result.epochs} epoch(s); resume with: terra train ${datasetDir} --out ${opts.out} --resume`);
      process.exitCode = 130;
      return;
    }
    const v = result.validation!.pooled;
    log(
      `saved ${out} (best epoch ${result.bestEpoch}); validation: CSI@5cm ${v.csi.toFixed(3)}, wet RMSE ${(v.rmse_wet_m * 100).toFixed(2)} cm, ` +
        `NSE ${v.nse.toFixed(3)}, r ${v.pearson.toFixed(3)}`,
    );
  } finally {
    bar?.stop();
    process.off('SIGINT', onSigint);
  }
}

async function configFrom(opts: TrainCliOptions): Promise<LearnConfig> {
  let base: { model?: Record<string, unknown>; training?: Record<string, unknown> } = {};
  if (opts.config) {
    try {
      base = JSON.parse(await readFile(opts.config, 'utf8')) as typeof base;
    } catch (err) {
      throw new TerraError('INVALID_PARAMS', `${opts.config}: cannot read the training config (${(err as Error).message})`, { file: opts.config });
    }
  }
  if (opts.model && opts.model !== base.model?.kind) base.model = { kind: opts.model };
  const training: Record<string, unknown> = { ...base.training };
  const flags = { epochs: opts.epochs, batch_size: opts.batchSize, learning_rate: opts.lr, seed: opts.seed };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) training[k] = v;
  const parsed = learnConfigSchema.safeParse({ ...base, training });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TerraError('INVALID_PARAMS', `${opts.config ? `${opts.config}: ` : ''}${issue.path.join('.') || '(root)'}: ${issue.message}`, { field: issue.path.join('.') });
  }
  return parsed.data;
}
