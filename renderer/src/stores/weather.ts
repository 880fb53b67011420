/**
 * Weather over the open sample site: the built-in weather samples, the
 * `weather.run` job that puts one on the site's terrain (progress, cancel,
 * outcome), the frames it streams (temperature, pressure, u, v per DEM cell
 * every 6 h, kept as the typed arrays that arrived), and how they are shown:
 * the overlay field and the wind particles' switch. Frames belong to one
 * terrain: opening another site drops them and cancels a load under way; a
 * reopen of the same site (after an engine restart) keeps them.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { TerraError, type WeatherRunSummary, type WeatherSampleSummary } from '@api';
import { translate } from '../i18n';
import { fieldScale, type FieldScale, type OverlayField } from '../scene/field-ramp';
import { useEngineStore } from './engine';
import { engineJob, type JobPhase } from './engine-job';
import { useSiteStore } from './site';
import type { SyntheticScenario } from './weather-scenario';

export interface WeatherFrame {
  /** Epoch seconds (UTC). */
  time: number;
  /** degC and Pa at the terrain; m/s along the grid's east and north axes. */
  temperature: Float32Array;
  pressure: Float32Array;
  u: Float32Array;
  v: Float32Array;
  /** Fractions at the terrain, when the weather has humidity (they set the fog and the cloud deck). */
  relativeHumidity?: Float32Array;
  cloudFraction?: Float32Array;
  /** Rain rate at the ground (mm/h), when the weather has rain (a scenario's storm cell). */
  precipitation?: Float32Array;
}

export interface WeatherPoint {
  name: string;
  x: number;
  y: number;
}

export type WeatherPhase = JobPhase;
export type OverlayChoice = OverlayField | 'none';

/** Smallest and largest value of a field over every frame received. */
export interface FieldRange {
  min: number;
  max: number;
}

export const useWeatherStore = defineStore('weather', () => {
  const engine = useEngineStore();
  const site = useSiteStore();

  const samples = ref<WeatherSampleSummary[]>([]);
  const sampleId = ref<string | null>(null);
  const job = engineJob(() => translate('common.waitingForEngine'));
  const { phase, progress, error } = job;
  /** Received frames, in time order; replaced (not mutated) so watchers see each one. */
  const frames = shallowRef<WeatherFrame[]>([]);
  const summary = shallowRef<WeatherRunSummary | null>(null);
  /** The field draped on the terrain, and the wind particles' switch. */
  const overlay = ref<OverlayChoice>('temperature');
  const particles = ref(true);
  /** The terrain the frames belong to (site store key). */
  let framesKey: string | null = null;
  /** Each field's range over the frames so far (humidity only when the weather has it). */
  const ranges = shallowRef<Partial<Record<OverlayField, FieldRange>> | null>(null);

  /** Weather needs a built-in site (the engine reads its DEM). */
  const siteId = computed(() => {
    const id = site.current?.site.id;
    return id && id !== 'file' ? id : null;
  });
  const sample = computed(() => samples.value.find((s) => s.id === sampleId.value) ?? samples.value[0] ?? null);
  /** How the overlay field maps onto its ramp (shared by the view and the legend); null with no overlay or frames. */
  const overlayScale = computed<FieldScale | null>(() => {
    const field = overlay.value;
    const range = ranges.value;
    const r = field === 'none' ? undefined : range?.[field];
    return field === 'none' || !r ? null : fieldScale(field, r.min, r.max);
  });
  /** Whether the frames carry relative humidity (a scenario's weather; the samples have none). */
  const hasHumidity = computed(() => ranges.value?.relativeHumidity !== undefined);
  const canLoad = computed(() => phase.value !== 'running' && siteId.value !== null && sample.value !== null && engine.connection === 'connected');

  async function loadSamples(): Promise<void> {
    try {
      samples.value = await engine.call('weather.list', {});
      sampleId.value ??= samples.value[0]?.id ?? null;
    } catch (err) {
      const e = err instanceof TerraError ? err : TerraError.wrap(err);
      error.value = { code: e.code, message: translate('weather.couldNotList', { message: e.message }) };
    }
  }

  /** Loads the chosen sample, or a synthetic scenario, over the open site; `points` (probes) go into the run's points.csv. */
  async function load(points: WeatherPoint[], scenario?: SyntheticScenario): Promise<void> {
    const id = siteId.value;
    const chosen = sample.value;
    const ready = scenario ? phase.value !== 'running' && id !== null && engine.connection === 'connected' : canLoad.value && chosen !== null;
    if (!ready || !id) return;
    clear();
    framesKey = site.key;
    const source = scenario ? { scenario } : { sample: chosen!.id };
    await job.run(
      (signal, onProgress) => engine.call('weather.run', { site: id, ...source, points }, { signal, onProgress }),
      (result) => (summary.value = result.summary),
      (p) => {
        const f = p.frame?.fields;
        if (p.frame && f?.temperature && f.pressure && f.u && f.v) {
          const frame: WeatherFrame = { time: p.frame.time, temperature: f.temperature, pressure: f.pressure, u: f.u, v: f.v };
          if (f.relative_humidity) frame.relativeHumidity = f.relative_humidity;
          if (f.cloud_fraction) frame.cloudFraction = f.cloud_fraction;
          if (f.precipitation) frame.precipitation = f.precipitation;
          frames.value = [...frames.value, frame];
          ranges.value = widen(ranges.value, frame);
        }
      },
    );
  }

  /** Stops a load; the frames received so far stay. */
  function cancel(): void {
    job.cancel();
  }

  function clear(): void {
    frames.value = [];
    ranges.value = null;
    summary.value = null;
    job.reset();
    framesKey = null;
  }

  function setOverlay(choice: OverlayChoice): void {
    overlay.value = choice;
  }

  function toggleParticles(): void {
    particles.value = !particles.value;
  }

  watch(
    () => site.key,
    (key) => {
      if (framesKey === null || key === framesKey) return;
      job.drop();
      clear();
    },
  );

  return {
    samples,
    sampleId,
    sample,
    phase,
    progress,
    frames,
    ranges,
    overlayScale,
    summary,
    error,
    overlay,
    hasHumidity,
    particles,
    siteId,
    canLoad,
    loadSamples,
    load,
    cancel,
    setOverlay,
    toggleParticles,
  };
});

/** The ranges over the frames so far, widened by one more frame. */
function widen(ranges: Partial<Record<OverlayField, FieldRange>> | null, frame: WeatherFrame): Partial<Record<OverlayField, FieldRange>> {
  const span = (values: Float32Array, r: FieldRange | undefined): FieldRange => {
    let min = r?.min ?? Infinity;
    let max = r?.max ?? -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  };
  const widened: Partial<Record<OverlayField, FieldRange>> = { temperature: span(frame.temperature, ranges?.temperature), pressure: span(frame.pressure, ranges?.pressure) };
  if (frame.relativeHumidity) widened.relativeHumidity = span(frame.relativeHumidity, ranges?.relativeHumidity);
  return widened;
}
