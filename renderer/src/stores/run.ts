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
import { FLOOD_RUN_MAX_OUTPUTS, type FloodFrameStats, type FloodRunSummary } from '@api';
import { translate } from '../i18n';
import type { RunRain } from '../scene/rain-rate';
import type { RainCellSpec } from './weather-scenario';
import { useEngineStore } from './engine';
import { engineJob, type JobPhase } from './engine-job';
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
  /** Each edge of the site: water leaves freely (open) or stays (wall). */
  edges: Record<Edge, 'open' | 'wall'>;
}

export type Edge = 'west' | 'north' | 'east' | 'south';

/**
 * A point inflow placed on the terrain: a triangular hydrograph from 0 at the
 * start, up to the peak at `riseMinutes`, back to 0 at `totalMinutes`.
 */
export interface Inflow {
  id: number;
  /** Its name for the engine and in the run's files ("Inflow 1"); the panel shows it numbered in the language on show. */
  name: string;
  col: number;
  row: number;
  /** Map coordinates of the cell centre, in the site's CRS. */
  x: number;
  y: number;
  peakM3s: number;
  riseMinutes: number;
  totalMinutes: number;
}

/** Most inflows a run takes (the engine's limit). */
export const MAX_INFLOWS = 64;

export interface RunFrame {
  time: number;
  depth: Float32Array;
  u: Float32Array;
  v: Float32Array;
  /** The engine's water balance at this time (engines before it was streamed send none). */
  stats?: FloodFrameStats;
}

/** A flood run of a weather scenario's rain cell: the cell, how long and how often, and when the scenario starts. */
export interface StormRun {
  cell: RainCellSpec;
  durationS: number;
  intervalS: number;
  /** Epoch seconds of the scenario's start: flood time t is this + t on the shared timeline. */
  startEpoch: number;
}

export interface RunGauge {
  name: string;
  x: number;
  y: number;
}

export type RunPhase = JobPhase;

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
    edges: { west: 'open', north: 'open', east: 'open', south: 'open' },
  });
  const inflows = ref<Inflow[]>([]);
  /** The next click on the terrain places an inflow (instead of dropping a probe). */
  const placingInflow = ref(false);
  let nextInflow = 1;
  let inflowsKey: string | null = null;
  const job = engineJob(() => translate('common.waitingForEngine'));
  const { phase, progress, error } = job;
  /** Received frames, in time order; replaced (not mutated) so watchers see each one. */
  const frames = shallowRef<RunFrame[]>([]);
  const summary = shallowRef<FloodRunSummary | null>(null);
  const runDir = ref<string | null>(null);
  /** The rain of the run whose frames these are (the settings may change after it started): the 3D view rains with it. */
  const rain = shallowRef<RunRain | null>(null);
  /** Epoch seconds flood time 0 stands for, when the run is a weather scenario's storm (weather and flood on one clock). */
  const coupledStart = ref<number | null>(null);
  /** The terrain the frames belong to (site store key). */
  let framesKey: string | null = null;

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
    if (values.some((v) => !(Number.isFinite(v) && v > 0))) return translate('scenario.problem.positive');
    if (s.intensityMmPerH > 1000) return translate('scenario.problem.intensity');
    if (!(s.manning >= 0 && s.manning < 1)) return translate('scenario.problem.manning');
    if (s.intervalMinutes > s.durationMinutes) return translate('scenario.problem.interval');
    if (s.durationMinutes / s.intervalMinutes > FLOOD_RUN_MAX_OUTPUTS) return translate('scenario.problem.frames', { max: FLOOD_RUN_MAX_OUTPUTS });
    const bad = inflows.value.find((f) => !(Number.isFinite(f.peakM3s) && f.riseMinutes > 0 && f.totalMinutes > f.riseMinutes));
    if (bad) return translate('scenario.problem.inflow', { name: translate('scenario.inflowName', { n: bad.id }) });
    return null;
  });
  const canRun = computed(
    () => phase.value !== 'running' && siteId.value !== null && problem.value === null && engine.connection === 'connected',
  );

  /** Runs the panel's uniform rain, or a weather scenario's storm cell on the scenario's clock. */
  async function start(gauges: RunGauge[], storm?: StormRun): Promise<void> {
    const id = siteId.value;
    const ready = storm ? phase.value !== 'running' && id !== null && engine.connection === 'connected' : canRun.value;
    if (!ready || !id) return;
    clear();
    framesKey = site.key;
    // A storm's rain is a field that moves: the view rains from the weather's precipitation frames instead.
    rain.value = storm ? null : { intensityMmPerH: settings.intensityMmPerH, durationS: settings.rainMinutes * 60 };
    coupledStart.value = storm?.startEpoch ?? null;
    const s = settings;
    await job.run(
      (signal, onProgress) =>
        engine.call(
          'flood.run',
          {
            site: id,
            rain: storm ? { cell: storm.cell } : { intensity_mm_per_h: s.intensityMmPerH, duration_s: s.rainMinutes * 60 },
            boundaries: { ...s.edges },
            inflows: inflows.value.map((f) => ({
              name: f.name,
              x: f.x,
              y: f.y,
              series: [
                { t_s: 0, discharge_m3_s: 0 },
                { t_s: f.riseMinutes * 60, discharge_m3_s: f.peakM3s },
                { t_s: f.totalMinutes * 60, discharge_m3_s: 0 },
              ],
            })),
            duration_s: storm ? storm.durationS : s.durationMinutes * 60,
            output_interval_s: storm ? storm.intervalS : s.intervalMinutes * 60,
            scheme: s.scheme,
            manning: s.manning,
            ...(coastal.value && s.seaAtZero ? { initial_water_level_m: 0 } : {}),
            gauges,
          },
          { signal, onProgress },
        ),
      (result) => {
        summary.value = result.summary;
        runDir.value = result.runDir;
      },
      (p) => {
        const f = p.frame;
        if (f?.fields.depth && f.fields.u && f.fields.v) {
          const stats = floodStats(f.stats);
          frames.value = [...frames.value, { time: f.time, depth: f.fields.depth, u: f.fields.u, v: f.fields.v, ...(stats ? { stats } : {}) }];
        }
      },
    );
  }

  /** Stops the run; the frames received so far stay. */
  function cancel(): void {
    job.cancel();
  }

  function clear(): void {
    frames.value = [];
    summary.value = null;
    runDir.value = null;
    rain.value = null;
    coupledStart.value = null;
    job.reset();
    framesKey = null;
  }

  /** Places an inflow at a DEM cell (a click while placing): 10 m3/s peaking at 10 min, over in 30. */
  function addInflowAt(col: number, row: number): void {
    placingInflow.value = false;
    const g = site.current?.georef;
    if (!g || inflows.value.length >= MAX_INFLOWS) return;
    inflowsKey = site.key;
    const id = nextInflow++;
    const x = g.x0 + (col + 0.5) * g.dx;
    const y = g.y0 - (row + 0.5) * g.dy;
    inflows.value = [...inflows.value, { id, name: `Inflow ${id}`, col, row, x, y, peakM3s: 10, riseMinutes: 10, totalMinutes: 30 }];
  }

  function removeInflow(id: number): void {
    inflows.value = inflows.value.filter((f) => f.id !== id);
  }

  // Inflows are places on one terrain: another site drops them.
  watch(
    () => site.key,
    (key) => {
      if (inflowsKey !== null && key !== inflowsKey) {
        inflows.value = [];
        placingInflow.value = false;
        inflowsKey = null;
      }
    },
  );

  watch(
    () => site.key,
    (key) => {
      if (framesKey === null || key === framesKey) return;
      job.drop();
      clear();
    },
  );

  return { inflows, placingInflow, addInflowAt, removeInflow, settings, phase, progress, frames, summary, runDir, rain, coupledStart, error, siteId, coastal, outputs, problem, canRun, start, cancel };
});

/** The frame's volumes, when it carries all three as finite numbers. */
function floodStats(stats: Record<string, number> | undefined): FloodFrameStats | null {
  if (!stats) return null;
  const { storage_m3, volume_in_m3, volume_out_m3 } = stats;
  const ok = [storage_m3, volume_in_m3, volume_out_m3].every((v) => typeof v === 'number' && Number.isFinite(v));
  return ok ? { storage_m3: storage_m3!, volume_in_m3: volume_in_m3!, volume_out_m3: volume_out_m3! } : null;
}
