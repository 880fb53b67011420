/**
 * What planners read off a flood run beyond the frame on show: the fields
 * derived from its frames (max depth, hazard class, first arrival; see
 * scene/flood-derived.ts), kept up to date as frames stream in, and the
 * water balance over time for the chart. The derived fields live in a plain
 * object outside Vue's reactivity (they are large typed arrays); `version`
 * changes whenever they do.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { FloodDerived } from '../scene/flood-derived';
import type { DerivedFloodLayer } from '../scene/flood-styles';
import { useRunStore, type RunFrame } from './run';
import { useSiteStore } from './site';

export interface WaterBalance {
  times: number[];
  /** Water on the grid (m^3) at each frame. */
  storage: number[];
  /** Cumulative water in and out (m^3); null when the engine did not stream them. */
  volumeIn: number[] | null;
  volumeOut: number[] | null;
  /** 'engine': the run's own balance; 'frames': storage summed here from depth x cell area. */
  source: 'engine' | 'frames';
}

export const useFloodAnalysisStore = defineStore('flood-analysis', () => {
  const run = useRunStore();
  const site = useSiteStore();

  let derived: FloodDerived | null = null;
  /** The first frame of the run `derived` holds: another one means another run. */
  let first: RunFrame | null = null;
  /** Bumped whenever the derived fields change. */
  const version = ref(0);
  /** Storage summed here from each frame's depths, for frames without the engine's balance. */
  const summed = shallowRef<number[]>([]);

  watch(() => run.frames, sync, { immediate: true });

  function sync(frames: readonly RunFrame[]): void {
    if (frames.length === 0 || frames[0] !== first || (derived && derived.count > frames.length)) {
      derived = frames.length ? new FloodDerived(frames[0]!.depth.length) : null;
      first = frames[0] ?? null;
      summed.value = [];
    }
    if (!derived) {
      version.value++;
      return;
    }
    const area = cellArea();
    const sums = [...summed.value];
    for (let k = derived.count; k < frames.length; k++) {
      const f = frames[k]!;
      derived.push(f);
      sums.push(sumDepth(f.depth) * area);
    }
    summed.value = sums;
    version.value++;
  }

  function cellArea(): number {
    const g = site.current?.georef;
    return g ? g.dxMetres * g.dyMetres : NaN;
  }

  /** Writes the derived `layer` at flood frame k into `out` (raw units: m, class index 0-5, s; NaN not drawn); null when there is none. */
  function fieldAt(layer: DerivedFloodLayer, k: number, out: Float32Array): Float32Array | null {
    if (!derived || k < 0 || k >= derived.count || out.length !== derived.cells) return null;
    if (layer === 'max-depth') return derived.maxDepthAt(k, out);
    if (layer === 'hazard') return derived.hazardAt(k, out);
    return derived.arrivalAt(k, out);
  }

  const balance = computed<WaterBalance | null>(() => {
    const frames = run.frames;
    if (!frames.length) return null;
    const times = frames.map((f) => f.time);
    if (frames.every((f) => f.stats)) {
      return {
        times,
        storage: frames.map((f) => f.stats!.storage_m3),
        volumeIn: frames.map((f) => f.stats!.volume_in_m3),
        volumeOut: frames.map((f) => f.stats!.volume_out_m3),
        source: 'engine',
      };
    }
    const storage = summed.value;
    if (storage.length !== frames.length || !storage.every(Number.isFinite)) return null;
    return { times, storage: [...storage], volumeIn: null, volumeOut: null, source: 'frames' };
  });

  return { version, fieldAt, balance };
});

function sumDepth(depth: Float32Array): number {
  let s = 0;
  for (let i = 0; i < depth.length; i++) s += depth[i]!;
  return s;
}
