/**
 * No seams along the terrain's tile edges: the real TerrainScene on a
 * 2048 x 2048 synthetic site at its home view (tiles at strides 1 to 32), in
 * Chromium on SwiftShader. The site has single-cell pits every 8 cells along
 * the tiles' shared edges, as the level-of-detail suite's terrain has. Coarse
 * levels lit each vertex with its own full-resolution normal, so a vertex
 * beside a pit carried the pit's steep slope over all the triangles round it,
 * stride cells wide: dark lines along every edge, with or without the skirts
 * (55 % of the pixels on the edges of tiles at stride 4 or more were dark,
 * against 26 % in the tiles' middles). Now each vertex takes the mean normal
 * and shade of the cells it spans (6.0 % against 5.8 %).
 *
 * The tiles' edges and the lines through their middles (no seam can be
 * there) are projected to the canvas with the view's camera; along each, a
 * pixel counts as dark when the darkest of it and its two neighbours across
 * the line is darker than the ground a few pixels to either side. Only tiles
 * at stride 4 or more are measured: finer ones draw the pits themselves.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenLine, SeamsRun } from './pages/results';
import { openTestPage, type TestPage } from './test-page';
import { BACKGROUND, RESULTS_DIR, checkPrerequisites } from './harness';
import { decodePng, foregroundMask, luminance, type Image } from './pixels';

// The page's function (this file has no lib.dom).
declare const window: { seams(n: number): Promise<SeamsRun> };

/** Pixels to either side of a line where the ground beside it is read. */
const BESIDE_PX = [4, 5];
/** Tiles measured: at this stride or coarser, the pits on the edges lie between the vertices. */
const COARSE = 4;
/** How many times the middles' share of dark pixels the edges may hold. */
const SEAM_SHARE = 1.25;
/** Luminance (0..255) by which a pixel on a line must be darker than the ground beside it to count as dark. */
const DARK = 12;

interface LineStats {
  /** Pixels measured along the lines, and how many of them were dark. */
  pixels: number;
  dark: number;
  /** Mean luminance of the ground beside the lines less that on them. */
  contrast: number;
}

/** Dark pixels along lines on the canvas (pixels on the background or near the canvas's border left out). */
function darkAlong(image: Image, lines: number[][]): LineStats {
  const { width, height } = image;
  const lum = luminance(image);
  const ground = foregroundMask(image, BACKGROUND);
  const seen = new Set<number>();
  let pixels = 0;
  let dark = 0;
  let contrast = 0;
  /** Luminance at a point, or NaN off the ground. */
  const at = (x: number, y: number) => {
    const i = Math.round(y) * width + Math.round(x);
    return x >= 0 && y >= 0 && x < width - 0.5 && y < height - 0.5 && ground[i] ? lum[i]! : NaN;
  };
  for (const line of lines) {
    for (let k = 0; k + 3 < line.length; k += 2) {
      const [x0, y0, x1, y1] = [line[k]!, line[k + 1]!, line[k + 2]!, line[k + 3]!];
      const length = Math.hypot(x1 - x0, y1 - y0);
      if (length === 0) continue;
      // Unit normal across the line on screen.
      const nx = -(y1 - y0) / length;
      const ny = (x1 - x0) / length;
      for (let s = 0; s < length; s += 0.5) {
        const x = x0 + ((x1 - x0) * s) / length;
        const y = y0 + ((y1 - y0) * s) / length;
        const key = Math.round(y) * width + Math.round(x);
        if (seen.has(key)) continue;
        seen.add(key);
        const on = Math.min(at(x, y), at(x + nx, y + ny), at(x - nx, y - ny));
        let beside = 0;
        for (const d of BESIDE_PX) beside += at(x + d * nx, y + d * ny) + at(x - d * nx, y - d * ny);
        beside /= 2 * BESIDE_PX.length;
        if (!(on === on && beside === beside)) continue;
        pixels++;
        contrast += beside - on;
        if (beside - on > DARK) dark++;
      }
    }
  }
  return { pixels, dark, contrast: pixels ? contrast / pixels : 0 };
}

let test: TestPage;

beforeAll(async () => {
  checkPrerequisites();
  test = await openTestPage('test/e2e/browser/pages/seams.html', 'seams', { width: 1280, height: 900 });
});

afterAll(async () => {
  expect(test?.errors).toEqual([]);
  await test?.close();
});

describe('terrain tile seams', () => {
  it('at the home view, the tiles’ edges are no darker than the ground inside the tiles', { timeout: 300_000 }, async () => {
    const n = 2048;
    const { image: url, strides, edges, middles } = await test.page.evaluate((n) => window.seams(n), n);
    const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    writeFileSync(join(RESULTS_DIR, 'seams-home.png'), png);
    const image = decodePng(png);
    const coarse = (lines: ScreenLine[]) => lines.filter((l) => l.stride >= COARSE).map((l) => l.points);
    const onEdges = darkAlong(image, coarse(edges));
    const inMiddles = darkAlong(image, coarse(middles));
    const share = (s: LineStats) => s.dark / s.pixels;
    const figures = (s: LineStats) => `${s.dark} of ${s.pixels} (${(100 * share(s)).toFixed(2)} %, contrast ${s.contrast.toFixed(2)})`;
    const levels = [...new Set(strides)].sort((a, b) => a - b);
    console.log(`[seams] strides ${levels.join(', ')}; on tiles at stride ${COARSE} or more, dark pixels on the edges ${figures(onEdges)}, in the middles ${figures(inMiddles)}`);
    expect(levels.filter((s) => s >= COARSE).length, `strides ${strides.join(',')}`).toBeGreaterThanOrEqual(2);
    expect(onEdges.pixels).toBeGreaterThan(3000);
    expect(share(onEdges)).toBeLessThan(SEAM_SHARE * share(inMiddles));
  });
});
