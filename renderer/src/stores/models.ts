/**
 * World models of the open site: the surrogate datasets and models in the
 * project folder (learn.list), the two long jobs that make them (a storm
 * dataset through the solver, then training with live losses; both cancel
 * and resume), and what a trained model is for in the explorer: an instant
 * max-depth preview of the rain scenario, and its comparison with the solver
 * on the same storm (model, physics or their difference on the terrain).
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import {
  TerraError,
  type DatasetSummary,
  type EpochPoint,
  type ErrorCode,
  type LearnInventory,
  type ModelSummary,
  type PredictionResult,
  type TrainingPoint,
  type VerificationResult,
} from '@api';
import { translate } from '../i18n';
import type { DepthDifference } from '../scene/depth-difference';
import { useEngineStore } from './engine';
import { useImporterStore } from './importer';
import { useRunStore } from './run';
import { useSiteStore } from './site';

export type LearnJobKind = 'dataset' | 'train' | 'predict' | 'verify';
export type CompareView = 'off' | 'model' | 'physics' | 'difference';

export interface DatasetSettings {
  name: string;
  storms: number;
  intensity: [number, number];
  duration: [number, number];
}

export interface TrainSettings {
  name: string;
  dataset: string;
  kind: 'mlp' | 'unet';
  epochs: number;
  learningRate: number;
  batchSize: number;
}

/** A batch's loss, placed on a continuous epoch axis (epoch 1.5 = half way through the second). */
export interface LossPoint {
  at: number;
  loss: number;
}

interface JobState {
  kind: LearnJobKind;
  label: string;
  fraction: number | null;
  message: string;
}

export const useModelsStore = defineStore('models', () => {
  const engine = useEngineStore();
  const importer = useImporterStore();
  const site = useSiteStore();
  const run = useRunStore();

  /** The folder datasets and models live in: as typed, else the chosen project, else the engine's default. */
  const typedProject = ref('');
  const projectDir = computed(() => typedProject.value.trim() || importer.chosenProject || engine.info?.defaultProjectDir || '');
  const inventory = shallowRef<LearnInventory | null>(null);
  const job = shallowRef<JobState | null>(null);
  const error = shallowRef<{ code: ErrorCode; message: string } | null>(null);
  /** Set when the last long job was cancelled, until the next one. */
  const cancelled = ref<LearnJobKind | null>(null);
  const batches = shallowRef<LossPoint[]>([]);
  const epochs = shallowRef<EpochPoint[]>([]);
  const selected = ref<string | null>(null);
  const prediction = shallowRef<PredictionResult | null>(null);
  const verification = shallowRef<VerificationResult | null>(null);
  const compare = ref<CompareView>('off');
  /** The difference map on show (set by the view that draws it), for its legend. */
  const difference = shallowRef<DepthDifference | null>(null);

  const dataset = reactive<DatasetSettings>({ name: 'storms', storms: 24, intensity: [15, 60], duration: [15, 45] });
  const training = reactive<TrainSettings>({ name: 'mlp', dataset: '', kind: 'mlp', epochs: 40, learningRate: 2e-3, batchSize: 8 });

  let controller: AbortController | null = null;

  const siteId = computed(() => {
    const id = site.current?.site.id;
    return id && id !== 'file' ? id : null;
  });
  /** What belongs to the open site. */
  const datasets = computed<DatasetSummary[]>(() => inventory.value?.datasets.filter((d) => d.site === siteId.value) ?? []);
  const models = computed<ModelSummary[]>(() => inventory.value?.models.filter((m) => m.site === siteId.value) ?? []);
  const model = computed(() => models.value.find((m) => m.name === selected.value) ?? null);
  const ready = computed(() => model.value?.status === 'complete');
  const busy = computed(() => job.value !== null);
  const connected = computed(() => engine.connection === 'connected');
  /** The preview is of the scenario panel's storm; a changed storm makes it stale. */
  const storm = computed(() => ({ intensity_mm_h: run.settings.intensityMmPerH, duration_min: run.settings.rainMinutes }));
  const stale = computed(
    () => prediction.value !== null && (prediction.value.intensity_mm_h !== storm.value.intensity_mm_h || prediction.value.duration_min !== storm.value.duration_min),
  );

  async function refresh(): Promise<void> {
    if (!connected.value || !projectDir.value) return;
    try {
      inventory.value = await engine.call('learn.list', { projectDir: projectDir.value });
      if (!models.value.some((m) => m.name === selected.value)) selected.value = models.value.find((m) => m.status === 'complete')?.name ?? models.value[0]?.name ?? null;
      if (!datasets.value.some((d) => d.name === training.dataset)) training.dataset = datasets.value.find((d) => d.status === 'complete')?.name ?? '';
    } catch (err) {
      fail(err);
    }
  }

  /** Runs one job at a time; progress into `job`, failures into `error`; a cancel is remembered, not an error. */
  async function runJob<T>(kind: LearnJobKind, label: string, work: (signal: AbortSignal, onProgress: (fraction: number | null, message: string) => void) => Promise<T>): Promise<T | null> {
    if (busy.value || !connected.value) return null;
    const mine = new AbortController();
    controller = mine;
    error.value = null;
    cancelled.value = null;
    job.value = { kind, label, fraction: 0, message: translate('common.waitingForEngine') };
    try {
      return await work(mine.signal, (fraction, message) => {
        if (controller === mine) job.value = { kind, label, fraction, message };
      });
    } catch (err) {
      if (err instanceof TerraError && err.code === 'CANCELLED') cancelled.value = kind;
      else fail(err);
      return null;
    } finally {
      if (controller === mine) {
        controller = null;
        job.value = null;
      }
    }
  }

  async function buildDataset(): Promise<void> {
    const id = siteId.value;
    if (!id) return;
    const d = dataset;
    await runJob('dataset', `Dataset ${d.name}`, (signal, report) =>
      engine.call(
        'learn.dataset',
        { projectDir: projectDir.value, name: d.name, site: id, scenarios: d.storms, intensity_mm_h: [...d.intensity], duration_min: [...d.duration] },
        { signal, onProgress: (p) => report(p.fraction, p.message) },
      ),
    );
    await refresh();
    if (datasets.value.some((x) => x.name === d.name && x.status === 'complete')) training.dataset = d.name;
  }

  async function train(resume = false): Promise<void> {
    const t = training;
    const name = resume ? (selected.value ?? t.name) : t.name;
    batches.value = [];
    epochs.value = resume ? [...(model.value?.history ?? [])] : [];
    const params = resume
      ? { projectDir: projectDir.value, name, resume: true }
      : { projectDir: projectDir.value, name, dataset: t.dataset, kind: t.kind, epochs: t.epochs, learning_rate: t.learningRate, batch_size: t.batchSize };
    const result = await runJob('train', `Training ${name}`, (signal, report) =>
      engine.call('learn.train', params, {
        signal,
        onProgress: (p) => {
          report(p.fraction, p.message);
          if (p.training) record(p.training);
        },
      }),
    );
    if (result?.status === 'cancelled') cancelled.value = 'train';
    selected.value = name;
    await refresh();
  }

  function record(point: TrainingPoint): void {
    if (point.kind === 'batch') batches.value = [...batches.value, { at: point.epoch - 1 + point.batch / point.batches, loss: point.loss }];
    else epochs.value = [...epochs.value.filter((e) => e.epoch < point.record.epoch), point.record];
  }

  async function preview(): Promise<void> {
    const id = siteId.value;
    const name = selected.value;
    if (!id || !name || !ready.value) return;
    const result = await runJob('predict', `Preview with ${name}`, (signal, report) =>
      engine.call('learn.predict', { projectDir: projectDir.value, model: name, site: id, ...storm.value }, { signal, onProgress: (p) => report(p.fraction, p.message) }),
    );
    if (!result) return;
    prediction.value = result;
    verification.value = null;
    compare.value = 'model';
  }

  async function verify(): Promise<void> {
    const id = siteId.value;
    const name = selected.value;
    if (!id || !name || !ready.value) return;
    const result = await runJob('verify', `Physics for ${name}`, (signal, report) =>
      engine.call('learn.verify', { projectDir: projectDir.value, model: name, site: id, ...storm.value }, { signal, onProgress: (p) => report(p.fraction, p.message) }),
    );
    if (!result) return;
    prediction.value = result;
    verification.value = result;
    compare.value = 'difference';
  }

  function cancel(): void {
    controller?.abort();
  }

  function setProject(path: string): void {
    typedProject.value = path;
    void refresh();
  }

  function closeCompare(): void {
    compare.value = 'off';
  }

  function fail(err: unknown): void {
    const e = err instanceof TerraError ? err : TerraError.wrap(err);
    error.value = { code: e.code, message: e.message };
  }

  // Predictions belong to one terrain; a refresh lists what the new site has.
  watch(
    () => site.key,
    () => {
      prediction.value = null;
      verification.value = null;
      compare.value = 'off';
      void refresh();
    },
  );
  watch(
    () => [engine.connection, projectDir.value] as const,
    ([state]) => state === 'connected' && void refresh(),
    { immediate: true },
  );

  return {
    projectDir,
    typedProject,
    inventory,
    datasets,
    models,
    model,
    selected,
    ready,
    job,
    busy,
    error,
    cancelled,
    batches,
    epochs,
    dataset,
    training,
    prediction,
    verification,
    compare,
    difference,
    stale,
    storm,
    siteId,
    refresh,
    buildDataset,
    train,
    preview,
    verify,
    cancel,
    setProject,
    closeCompare,
  };
});
