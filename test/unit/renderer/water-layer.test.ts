/**
 * The water is drawn on the tiles that hold water only: a frame's wet tiles
 * come on show with the frame itself (at its upload, not when it is set), a
 * wet cell on a shared corner shows on every tile that draws it, and a dry
 * frame draws no tile. (The pixels, water exactly where the engine reports
 * depth, are checked in a real browser by the flood-explorer e2e suite.)
 */
import type { WebGLRenderer } from 'three';
import { describe, expect, it } from 'vitest';
import { TerrainSurface } from '../../../renderer/src/scene/TerrainSurface';
import { WaterLayer } from '../../../renderer/src/scene/WaterLayer';
import { testSite } from './test-site';

const NX = 700;
const NY = 600;

/** Indices of the tiles whose water mesh is drawn. */
function drawnTiles(water: WaterLayer): number[] {
  return water.mesh.children.flatMap((mesh, tile) => (mesh.visible ? [tile] : []));
}

describe('WaterLayer tiles', () => {
  const surface = new TerrainSurface(testSite(NX, NY), { exaggeration: 2, hillshade: true });
  // A frame of this size fits one upload band: it goes up whole, without the renderer's help.
  const renderer = {} as WebGLRenderer;
  const frame = (wet: [col: number, row: number][]) => {
    const depth = new Float32Array(NX * NY).fill(0.004);
    for (const [col, row] of wet) depth[row * NX + col] = 0.05;
    return depth;
  };

  it('draws the water on the tiles holding a wet cell, from the upload that puts the frame on show', () => {
    expect([surface.tilesX, surface.tilesZ]).toEqual([3, 3]);
    const water = new WaterLayer(surface, surface.frame, NX, NY, 2);
    water.setDepth(frame([[300, 100]]));
    expect(water.mesh.visible).toBe(true);
    water.upload(renderer);
    expect(drawnTiles(water)).toEqual([1]);
    expect(water.wetTiles).toBe(1);

    // On the corner tiles 1, 2, 4 and 5 share; the last frame's tiles stay until this one is uploaded.
    water.setDepth(frame([[512, 256]]));
    expect(drawnTiles(water)).toEqual([1]);
    water.upload(renderer);
    expect(drawnTiles(water)).toEqual([1, 2, 4, 5]);

    // Films below the drawing threshold everywhere: nothing to draw.
    water.setDepth(frame([]));
    water.upload(renderer);
    expect(drawnTiles(water)).toEqual([]);

    water.setDepth(null);
    expect(water.mesh.visible).toBe(false);
    water.dispose();
  });
});
