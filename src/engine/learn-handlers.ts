/**
 * The learning methods (learn.*): flood-surrogate datasets and models in a
 * project folder, for the explorer's models panel. The work itself is the
 * same code `terra dataset | train | predict --verify` runs (src/learn).
 */
import { mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TerraError } from '../api/errors';
import type { GridWindow, ModelSummary, PredictionResult, TrainResultSummary, VerificationResult } from '../api/learn-types';
import type { Params } from '../api/methods';
import type { Georeference } from '../api/types';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { buildDataset } from '../learn/dataset/build';
import { rainFamilySchema } from '../learn/dataset/family';
import { loadDataset } from '../learn/dataset/load';
import { Surrogate } from '../learn/predict';
import {
  datasetSummary,
  datasetsDir,
  learnInventory,
  modelSummary,
  modelsDir,
  readTrainJob,
  trainConfig,
  writeDatasetJob,
  writeTrainJob,
} from '../learn/project';
import { MODEL_FILE } from '../learn/models/store';
import { train } from '../learn/train/trainer';
import { forcingConfidence, verifyWithPhysics } from '../learn/verify';
import type { SiteRegistry } from '../sites/registry';
import type { JobContext } from './job-context';

/** The wet threshold of the scores and counts (m), as terra evaluate and terra predict. */
const WET_M = 0.05;
/** Batch losses go to the client at most this often (ms); every epoch always goes. */
const BATCH_REPORT_MS = 200;

export function createLearnHandlers(sites: SiteRegistry, version: string) {
  const models = new SurrogateCache();

  return {
    'learn.list': ({ projectDir }: Params<'learn.list'>) => learnInventory(projectDir),

    'learn.dataset': async (p: Params<'learn.dataset'>, ctx: JobContext) => {
      const dir = join(datasetsDir(p.projectDir), p.name);
      const parsed = rainFamilySchema.safeParse({
        scenarios: p.scenarios,
        seed: p.seed,
        intensity_mm_h: p.intensity_mm_h,
        duration_min: p.duration_min,
        tail_min: p.tail_min,
        manning: p.manning,
        crop: p.crop,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new TerraError('INVALID_PARAMS', `${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.') });
      }
      const family = parsed.data;
      ctx.progress(0, `Reading ${p.site} terrain`);
      const dem = await sites.readDem(p.site);
      const { nx, ny } = dem.georef;
      if (family.crop && (family.crop.col + family.crop.cols > nx || family.crop.row + family.crop.rows > ny)) {
        throw new TerraError('INVALID_PARAMS', `crop: the window reaches beyond the ${nx} x ${ny} grid of ${p.site}`, { field: 'crop' });
      }
      await mkdir(dir, { recursive: true });
      await writeDatasetJob(dir, { site: p.site, family });
      await buildDataset({
        dem,
        demSource: `site:${p.site}`,
        family: { ...family, solver: { ...family.solver, threads: Math.min(2, availableParallelism()) } },
        outDir: dir,
        terraVersion: version,
        signal: ctx.signal,
        onProgress: (s) =>
          ctx.progress(s.fraction, `Storm ${s.index + 1} of ${s.count}${s.reused ? ' (already simulated)' : ''}`, undefined, {
            item: s.scenario,
            index: s.index,
            total: s.count,
            stage: s.reused ? 'reused' : 'simulate',
            fraction: s.fraction * s.count - s.index,
          }),
      });
      return datasetSummary(p.name, dir);
    },

    'learn.train': async (p: Params<'learn.train'>, ctx: JobContext): Promise<TrainResultSummary> => {
      const dir = join(modelsDir(p.projectDir), p.name);
      const job = p.resume ? await readTrainJob(dir) : await newTrainJob(p);
      const datasetDir = join(datasetsDir(p.projectDir), job.dataset);
      ctx.progress(null, `Loading dataset ${job.dataset}`);
      const dataset = await loadDataset(datasetDir);
      ctx.throwIfCancelled();
      await mkdir(dir, { recursive: true });
      if (!p.resume) await writeTrainJob(dir, job);
      models.forget(dir);
      let lastBatch = 0;
      const result = await train({
        dataset,
        config: job.config,
        outDir: dir,
        terraVersion: version,
        resume: p.resume,
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'backend') ctx.progress(0, `Training on ${e.report.backend}`);
          else if (e.type === 'batch') {
            const now = performance.now();
            if (now - lastBatch < BATCH_REPORT_MS && e.batch + 1 < e.batches) return;
            lastBatch = now;
            const fraction = (e.epoch + (e.batch + 1) / e.batches) / e.epochs;
            ctx.progress(fraction, `Epoch ${e.epoch + 1} of ${e.epochs}, batch ${e.batch + 1} of ${e.batches}: loss ${e.loss.toFixed(4)}`, undefined, undefined, {
              kind: 'batch',
              epoch: e.epoch + 1,
              epochs: e.epochs,
              batch: e.batch + 1,
              batches: e.batches,
              loss: e.loss,
              samples_per_s: e.samplesPerS,
            });
          } else if (e.type === 'epoch') {
            ctx.progress(e.record.epoch / e.epochs, `Epoch ${e.record.epoch} of ${e.epochs}: validation loss ${e.record.val_loss.toFixed(4)}`, undefined, undefined, {
              kind: 'epoch',
              epochs: e.epochs,
              improved: e.improved,
              record: e.record,
            });
          }
        },
      });
      // A cancelled training is not an error: the checkpoint of the last finished epoch stays to resume.
      return { status: result.status, model: await modelSummary(p.name, dir), backend: result.backend.backend };
    },

    'learn.predict': async (p: Params<'learn.predict'>, ctx: JobContext): Promise<PredictionResult> => {
      const { surrogate, summary, window, site } = await prepare(p, ctx);
      const started = performance.now();
      const depth = await surrogate.predict(p);
      const ms = performance.now() - started;
      return prediction(p, summary, window, site, depth, ms, surrogate);
    },

    'learn.verify': async (p: Params<'learn.verify'>, ctx: JobContext): Promise<VerificationResult> => {
      const { surrogate, summary, window, site } = await prepare(p, ctx);
      ctx.progress(0, 'Running the solver on the same storm');
      const v = await verifyWithPhysics(surrogate, p, Math.min(2, availableParallelism()), {
        signal: ctx.signal,
        onProgress: (f) => ctx.progress(f, `Solver: ${(100 * f).toFixed(0)}%`),
      });
      const base = prediction(p, summary, window, site, v.predicted, v.predict_ms, surrogate);
      const scores = v.scores;
      return {
        ...base,
        physics_depth: onSiteGrid(v.physics.maxDepth, window, site),
        threshold_m: v.threshold_m,
        scores: {
          csi: defined(scores.csi),
          pod: defined(scores.pod),
          far: defined(scores.far),
          rmse_wet_m: defined(scores.rmse_wet_m),
          wet_cells: scores.wet_cells,
          rmse_m: defined(scores.rmse_m),
          nse: defined(scores.nse),
          pearson: defined(scores.pearson),
        },
        solver_wall_s: v.physics.wallS,
        speedup: (v.physics.wallS * 1000) / v.predict_ms,
      };
    },
  };

  async function newTrainJob(p: Params<'learn.train'>) {
    if (!p.dataset) throw new TerraError('INVALID_PARAMS', 'dataset: choose the dataset to train on', { field: 'dataset' });
    const dir = join(modelsDir(p.projectDir), p.name);
    if (await exists(join(dir, MODEL_FILE))) {
      throw new TerraError('INVALID_PARAMS', `name: a model called ${p.name} exists already; choose another name`, { field: 'name' });
    }
    const datasetDir = join(datasetsDir(p.projectDir), p.dataset);
    const ds = await datasetSummary(p.dataset, datasetDir).catch(() => {
      throw new TerraError('NOT_FOUND', `dataset: no dataset called ${p.dataset} in ${datasetsDir(p.projectDir)}`, { field: 'dataset' });
    });
    if (ds.status !== 'complete') {
      throw new TerraError('INVALID_PARAMS', `dataset: ${p.dataset} is not finished (${ds.simulated} of ${ds.scenarios} storms); build it again to resume`, { field: 'dataset' });
    }
    const config = trainConfig(p.kind ?? 'mlp', {
      epochs: p.epochs,
      batches_per_epoch: p.batches_per_epoch,
      batch_size: p.batch_size,
      learning_rate: p.learning_rate,
      seed: p.seed,
    });
    return { dataset: p.dataset, site: ds.site, config };
  }

  async function prepare(p: Params<'learn.predict'>, ctx: JobContext) {
    const dir = join(modelsDir(p.projectDir), p.model);
    ctx.progress(null, `Loading ${p.model}`);
    const [summary, dem] = await Promise.all([
      modelSummary(p.model, dir).catch(() => {
        throw new TerraError('NOT_FOUND', `model: no model called ${p.model} in ${modelsDir(p.projectDir)}`, { field: 'model' });
      }),
      sites.readDem(p.site),
    ]);
    if (summary.status !== 'complete') {
      throw new TerraError('INVALID_PARAMS', `model: ${p.model} is not trained yet (${summary.epochs_done} of ${summary.epochs} epochs); resume its training`, { field: 'model' });
    }
    await selectBackend({ probe: forwardProbe });
    const surrogate = await models.get(dir);
    ctx.throwIfCancelled();
    const window = windowOn(surrogate.saved.meta.grid, dem.georef, p.model, p.site);
    return { surrogate, summary, window, site: dem.georef };
  }
}

function prediction(
  p: Params<'learn.predict'>,
  summary: ModelSummary,
  window: GridWindow,
  site: Georeference,
  depth: Float32Array,
  ms: number,
  surrogate: Surrogate,
): PredictionResult {
  let [max, wet] = [0, 0];
  for (const d of depth) {
    if (d > max) max = d;
    if (d >= WET_M) wet++;
  }
  return {
    model: summary.name,
    intensity_mm_h: p.intensity_mm_h,
    duration_min: p.duration_min,
    depth: onSiteGrid(depth, window, site),
    window,
    predict_ms: ms,
    max_depth_m: max,
    wet_cells: wet,
    confidence: forcingConfidence(surrogate.saved.meta, p),
  };
}

/**
 * Where the model's grid lies on the site's: the same CRS and cell size, and
 * whole-cell offsets inside it (a dataset may cover a window of the site).
 */
export function windowOn(grid: Georeference, site: Georeference, model: string, siteId: string): GridWindow {
  const fail = (why: string) => new TerraError('INVALID_PARAMS', `model: ${model} was trained on another grid than ${siteId}'s (${why})`, { field: 'model' });
  if (grid.crs !== site.crs) throw fail(`CRS ${grid.crs}, not ${site.crs}`);
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (!same(grid.dx, site.dx) || !same(grid.dy, site.dy)) throw fail(`cells of ${grid.dx} x ${grid.dy}, not ${site.dx} x ${site.dy}`);
  const colF = (grid.x0 - site.x0) / site.dx;
  const rowF = (site.y0 - grid.y0) / site.dy;
  const [col, row] = [Math.round(colF), Math.round(rowF)];
  if (Math.abs(colF - col) > 1e-6 || Math.abs(rowF - row) > 1e-6) throw fail('its cells do not line up with the site\'s');
  if (col < 0 || row < 0 || col + grid.nx > site.nx || row + grid.ny > site.ny) throw fail('it reaches beyond the site');
  return { col, row, cols: grid.nx, rows: grid.ny };
}

/** A field of the window, pasted into a site-sized field (0 elsewhere). */
function onSiteGrid(field: Float32Array, w: GridWindow, site: Georeference): Float32Array {
  if (w.col === 0 && w.row === 0 && w.cols === site.nx && w.rows === site.ny) return field;
  const out = new Float32Array(site.nx * site.ny);
  for (let r = 0; r < w.rows; r++) out.set(field.subarray(r * w.cols, (r + 1) * w.cols), (w.row + r) * site.nx + w.col);
  return out;
}

/** The last model used stays loaded, so a preview after a preview costs only the prediction. */
class SurrogateCache {
  private held: { dir: string; mtime: number; surrogate: Surrogate } | null = null;

  async get(dir: string): Promise<Surrogate> {
    const mtime = (await stat(join(dir, MODEL_FILE))).mtimeMs;
    if (this.held?.dir === dir && this.held.mtime === mtime) return this.held.surrogate;
    this.forget();
    const surrogate = await Surrogate.load(dir);
    this.held = { dir, mtime, surrogate };
    return surrogate;
  }

  forget(dir?: string): void {
    if (!this.held || (dir !== undefined && this.held.dir !== dir)) return;
    this.held.surrogate.dispose();
    this.held = null;
  }
}

/** NaN (a score undefined for this storm, e.g. CSI with no wet cell) as null, as JSON would carry it. */
function defined(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

