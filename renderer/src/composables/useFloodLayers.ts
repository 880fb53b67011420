/**
 * Keeps the 3D view's flood analysis layers in step with the stores: the
 * derived overlay chosen in the view store (max depth, hazard, arrival) at
 * the flood frame on show, and the velocity arrows of that frame. Used by
 * TerrainView, which owns the scene; `refresh()` re-applies everything to a
 * new terrain, and `drawn` names what the scene holds, for its test hooks
 * ("layer:time" and "time:arrows", or "none").
 */
import { watch } from 'vue';
import type { TerrainScene } from '../scene/TerrainScene';
import { HAZARD_SCALE, MAX_DEPTH_SCALE, arrivalScale, layerRamp, logDepths, type DerivedFloodLayer } from '../scene/flood-styles';
import { useFloodAnalysisStore } from '../stores/flood-analysis';
import { useModelsStore } from '../stores/models';
import { useRunStore } from '../stores/run';
import { useSiteStore } from '../stores/site';
import { useTimelineStore } from '../stores/timeline';
import { useViewStore } from '../stores/view';

export interface FloodLayersHandle {
  refresh(): void;
  readonly drawn: { flood: string; arrows: string };
}

export function useFloodLayers(scene: () => TerrainScene | null): FloodLayersHandle {
  const view = useViewStore();
  const timeline = useTimelineStore();
  const run = useRunStore();
  const site = useSiteStore();
  const analysis = useFloodAnalysisStore();
  const models = useModelsStore();
  const drawn = { flood: 'none', arrows: 'none' };
  /** One value per cell, reused frame after frame. */
  let buffer: Float32Array | null = null;

  function refresh(): void {
    const s = scene();
    if (!s) return;
    // A model comparison holds the overlay while on (TerrainView draws it), and the run's arrows would mislead over it.
    if (models.compare !== 'off' && models.prediction) {
      s.setArrows(null);
      drawn.flood = 'none';
      drawn.arrows = 'none';
      return;
    }
    const frame = timeline.floodFrame;
    const cells = site.current?.elevation.length ?? -1;
    const fits = frame !== null && frame.depth.length === cells;
    const layer = view.floodLayer;

    let values: Float32Array | null = null;
    if (fits && layer !== 'depth') {
      if (buffer?.length !== cells) buffer = new Float32Array(cells);
      values = analysis.fieldAt(layer, run.frames.indexOf(frame), buffer);
    }
    if (values && layer !== 'depth') {
      s.setFloodOverlay(layer === 'max-depth' ? logDepths(values) : values, layerRamp(layer), scaleOf(layer));
      drawn.flood = `${layer}:${frame!.time}`;
    } else {
      s.setFloodOverlay(null);
      drawn.flood = 'none';
    }

    s.setArrowsVisible(view.arrows);
    const arrows = fits ? s.setArrows(frame.depth, frame.u, frame.v) : s.setArrows(null);
    drawn.arrows = fits && view.arrows ? `${frame.time}:${arrows}` : 'none';
  }

  function scaleOf(layer: DerivedFloodLayer) {
    if (layer === 'max-depth') return MAX_DEPTH_SCALE;
    if (layer === 'hazard') return HAZARD_SCALE;
    return arrivalScale(run.frames.at(-1)?.time ?? 0);
  }

  watch(() => [timeline.floodFrame, view.floodLayer, view.arrows, analysis.version] as const, refresh);

  return { refresh, drawn };
}
