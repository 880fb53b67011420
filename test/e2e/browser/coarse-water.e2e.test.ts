/**
 * Water on terrain tiles drawn coarser than the DEM: the surface's vertices
 * sample every 2nd, 4th, ... cell, but each pixel reads the depth of the
 * cells under it, so a channel between two vertices still shows. The real
 * TerrainScene on a 2048 x 2048 plane at its home view (every tile coarse),
 * in Chromium on SwiftShader. The channel is 3 cells wide (a few
 * pixels: narrower ones fall between pixel centres, at any level) and holds
 * no vertex of the stride-4 tiles; drawn from the vertices' depths alone,
 * it vanished on them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoarseWaterRun } from './pages/results';
import { openTestPage, type TestPage } from './test-page';
import { BACKGROUND, RESULTS_DIR, checkPrerequisites } from './harness';
import { changedMask, decodePng, foregroundMask } from './pixels';

// The page's function (this file has no lib.dom).
declare const window: { coarseWater(n: number, cols: [number, number], depthM: number): Promise<CoarseWaterRun> };

/** A canvas capture (PNG data URL), saved to test-results and decoded. */
function capture(url: string, name: string) {
  const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  writeFileSync(join(RESULTS_DIR, `${name}.png`), png);
  return decodePng(png);
}

let test: TestPage;

beforeAll(async () => {
  checkPrerequisites();
  test = await openTestPage('test/e2e/browser/pages/coarse-water.html', 'coarseWater');
});

afterAll(async () => {
  expect(test?.errors).toEqual([]);
  await test?.close();
});

describe('water on coarse terrain tiles', () => {
  it('shows a channel between the vertices of coarse tiles along its whole length', { timeout: 240_000 }, async () => {
    const n = 2048;
    // Columns 1025-1027: stride-4 vertices stand on columns 1024 and 1028, both dry.
    const { wet, dry, strides } = await test.page.evaluate(([n, cols]) => window.coarseWater(n as number, cols as [number, number], 1.5), [n, [1025, 1027]] as const);
    expect(Math.min(...strides), `strides ${strides.join(',')}`).toBeGreaterThanOrEqual(2);
    // Tiles at stride 4 hold no vertex in the channel (some at stride 2 do: column 1026).
    expect(strides.filter((s) => s >= 4).length, `strides ${strides.join(',')}`).toBeGreaterThanOrEqual(8);
    const a = capture(wet, 'coarse-water-wet');
    const b = capture(dry, 'coarse-water-dry');
    const changed = changedMask(a, b);
    const terrain = foregroundMask(b, BACKGROUND);
    // Rows of the picture the terrain's surface fills, and those of them the channel shows on.
    const rowsWith = (mask: Uint8Array) => {
      const rows = new Set<number>();
      for (let k = 0; k < mask.length; k++) if (mask[k]) rows.add(Math.floor(k / a.width));
      return rows;
    };
    const terrainRows = rowsWith(terrain);
    const waterRows = rowsWith(changed);
    const share = [...terrainRows].filter((r) => waterRows.has(r)).length / terrainRows.size;
    console.log(`[coarse water] strides ${[...new Set(strides)].sort((x, y) => x - y).join(', ')}; the channel shows on ${(100 * share).toFixed(1)} % of the ${terrainRows.size} rows the terrain fills`);
    // The block's walls below the surface are terrain rows with no water: a few per cent.
    expect(share).toBeGreaterThan(0.9);
  });
});
