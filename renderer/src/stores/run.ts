/**
 * A rain scenario on the open sample site: its settings, the `flood.run` job
 * (progress, cancel, outcome) and the frames it streams (depth, u, v per DEM
 * cell at each output time, kept as the typed arrays that arrived). Frames
 * belong to one terrain: opening another site drops them, and a run under
 * way is cancelled; a reopen of the same site (after an engine restart)
 * keeps them.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { FLOOD_RUN_MAX_OUTPUTS, TerraError, type ErrorCode, type FloodRunSummary, type JobProgress } from '@api';
import { useEngineStore } from './engine';
import { useSiteStore } from './site';

export interface RunSettings {
  intensityMmPerH: number;
  rainMinutes: number;
  durationMinutes: number;
  intervalMinutes: number;
  scheme: 'fv' | 'inertial';
  manning: number;
  /** Coastal sites: start with the sea filled to 0 m. */
  seaAtZero: boolean;
}

export interface RunFrame {
  time: number;
  depth: Float32Array;
  u: Float32Array;
  v: Float32Array;
}

export interface RunGauge {
  name: string;
  x: number;
  y: number;
}

export type RunPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export const useRunStore = defineStore('run', () => {
  const engine = useEngineStore();
  const site = useSiteStore();

  const settings = reactive<RunSettings>({
    intensityMmPerH: 80,
    rainMinutes: 20,
    durationMinutes: 40,
    intervalMinutes: 1,
    scheme: 'fv',
    manning: 0.03,
    seaAtZero: true,
  });
  const phase = ref<RunPhase>('idle');
  const progress = shallowRef<{ fraction: number | null; message: string } | null>(null);
  /** Received frames, in time order; replaced (not mutated) so watchers see each one. */
  const frames = shallowRef<RunFrame[]>([]);
  const summary = shallowRef<FloodRunSummary | null>(null);
  const runDir = ref<string | null>(null);
  const error = shallowRef<{ code: ErrorCode; message: string } | null>(null);
  /** The terrain the frames belong to (site store key). */
  let framesKey: string | null = null;
  let controller: AbortController | null = null;

  /** Runs need a built-in site (the engine reads its DEM); imported files come later. */
  const siteId = computed(() => {
    const id = site.current?.site.id;
    return id && id !== 'file' ? id : null;
  });
  const coastal = computed(() => {
    const stats = site.current?.stats;
    return stats !== undefined && stats.min <= 0 && stats.max > 0;
  });
  /** Frames the run will send: every interval from 0, and the end (as the engine schedules them). */
  const outputs = computed(() => {
    const { durationMinutes: d, intervalMinutes: i } = settings;
    const n = Math.floor(d / i + 1e-9);
    return n + 1 + (d - n * i > 1e-9 * d ? 1 : 0);
  });
  /** Why the settings cannot run, for the panel; null when they can. */
  const problem = computed(() => {
    const s = settings;
    const values = [s.intensityMmPerH, s.rainMinutes, s.durationMinutes, s.intervalMinutes];
    if (values.some((v) => !(Number.isFinite(v) && v > 0))) return 'Every value must be a positive number.';
    if (s.intensityMmPerH > 1000) return 'Rain intensity is at most 1000 mm/h.';
    if (!(s.manning >= 0 && s.manning < 1)) return 'Manning n is between 0 and 1.';
    if (s.intervalMinutes > s.durationMinutes) return 'The output interval is longer than the run.';
    if (s.durationMinutes / s.intervalMinutes > FLOOD_RUN_MAX_OUTPUTS) return `More than ${FLOOD_RUN_MAX_OUTPUTS} frames: use a longer output interval.`;
    return null;
  });
  const canRun = computed(
    () => phase.value !== 'running' && siteId.value !== null && problem.value === null && engine.connection === 'connected',
  );

  async function start(gauges: RunGauge[]): Promise<void> {
    const id = siteId.value;
    if (!canRun.value || !id) return;
    const mine = new AbortController();
    controller = mine;
    clear();
    framesKey = site.key;
    phase.value = 'running';
    progress.value = { fraction: 0, message: 'Waiting for the engine' };
    const s = settings;
    const onProgress = (p: JobProgress) => {
      if (controller !== mine) return;
      progress.value = { fraction: p.fraction, message: p.message };
      const f = p.frame;
      if (f?.fields.depth && f.fields.u && f.fields.v) {
        frames.value = [...frames.value, { time: f.time, depth: f.fields.depth, u: f.fields.u, v: f.fields.v }];
      }
    };
    try {
      const result = await engine.call(
        'flood.run',
        {
          site: id,
          rain: { intensity_mm_per_h: s.intensityMmPerH, duration_s: s.rainMinutes * 60 },
          duration_s: s.durationMinutes * 60,
          output_interval_s: s.intervalMinutes * 60,
          scheme: s.scheme,
          manning: s.manning,
          ...(coastal.value && s.seaAtZero ? { initial_water_level_m: 0 } : {}),
          gauges,
        },
        { signal: mine.signal, onProgress },
      );
      if (controller !== mine) return;
      summary.value = result.summary;
      runDir.value = result.runDir;
      phase.value = 'done';
    } catch (err) {
      if (controller !== mine) return;
      const e = err instanceof TerraError ? err : TerraError.wrap(err);
      phase.value = e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      if (e.code !== 'CANCELLED') error.value = { code: e.code, message: e.message };
    } finally {
      if (controller === mine) {
        controller = null;
        progress.value = null;
      }
    }
  }

  /** Stops the run; the frames received so far stay. */
  function cancel(): void {
    controller?.abort();
  }

  function clear(): void {
    frames.value = [];
    summary.value = null;
    runDir.value = null;
    error.value = null;
    phase.value = 'idle';
    framesKey = null;
  }

  watch(
    () => site.key,
    (key) => {
      if (framesKey === null || key === framesKey) return;
      const running = controller;
      controller = null;
      running?.abort();
      progress.value = null;
      clear();
    },
  );

  return { settings, phase, progress, frames, summary, runDir, error, siteId, coastal, outputs, problem, canRun, start, cancel };
});
