/**
 * StreamedCellTexture on a real WebGL2 renderer (Chromium, SwiftShader):
 * what its texture holds after each step, read back from the GPU. A frame
 * that fits one band, or the first, goes up whole; a larger one goes up a band per upload()
 * while the frame before stays on show, then swaps in complete; frames that
 * arrive meanwhile wait, only the newest; nothing is left on the GPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPrerequisites } from './harness';
import type { StreamRun } from './pages/results';
import { openTestPage, type TestPage } from './test-page';

// The page's function (this file has no lib.dom).
declare const window: { streamedTexture(nx: number, ny: number, script: string[]): StreamRun };

let test: TestPage;

beforeAll(async () => {
  checkPrerequisites();
  test = await openTestPage('test/e2e/browser/pages/streamed-texture.html', 'streamedTexture');
});

afterAll(async () => {
  expect(test?.errors).toEqual([]);
  await test?.close();
});

const run = (nx: number, ny: number, script: string[]) => test.page.evaluate(([x, y, s]) => window.streamedTexture(x as number, y as number, s as string[]), [nx, ny, script] as const);

describe('StreamedCellTexture', () => {
  it('uploads a frame that fits one band whole, in one texture', async () => {
    const { steps, bandRows } = await run(256, 300, ['set 1', 'upload', 'set 2', 'upload', 'clear', 'set 3', 'upload']);
    expect(bandRows).toBeGreaterThan(300);
    expect(steps.map((s) => [s.action, s.changed, s.shows, s.pending, s.textures])).toEqual([
      ['set 1', undefined, NaN, true, 0],
      ['upload', true, 1, false, 1],
      ['set 2', undefined, 1, true, 1],
      ['upload', true, 2, false, 1],
      ['clear', undefined, 2, false, 1],
      ['set 3', undefined, 2, true, 1],
      ['upload', true, 3, false, 1],
      ['dispose', undefined, NaN, false, 0],
    ]);
    // onRows sees each frame whole, in the upload that puts it on show.
    expect(steps.map((s) => s.bands)).toEqual([[], ['1:0-300'], [], ['2:0-300'], [], [], ['3:0-300'], []]);
  });

  it('streams a larger frame a band per upload, showing the one before until it is complete', async () => {
    const nx = 1024;
    const ny = 2600;
    const script = [
      'set 1', 'upload', // the first frame: whole
      'set 2', 'upload', 'upload', 'upload', // the second texture's first use: allocated empty, streamed as the rest
      'set 3', 'upload', 'upload', 'upload', // a band per upload; 3 bands
      'set 4', 'upload', 'set 5', 'set 6', 'upload', 'upload', // 5 and 6 arrive while 4 streams: 6 waits, 5 is dropped
      'upload', 'upload', 'upload',
      'upload', // nothing left to do
    ];
    const { steps, bandRows, bandBytes } = await run(nx, ny, script);
    expect(bandRows).toBe(bandBytes / (4 * nx));
    expect(Math.ceil(ny / bandRows)).toBe(3);
    const seen = steps.map((s) => `${s.action}${s.changed === undefined ? '' : s.changed ? '+' : '-'}:${s.shows}${s.pending ? '…' : ''}`);
    expect(seen).toEqual([
      'set 1:NaN…',
      'upload+:1',
      'set 2:1…',
      'upload-:1…',
      'upload-:1…',
      'upload+:2',
      'set 3:2…',
      'upload-:2…',
      'upload-:2…',
      'upload+:3',
      'set 4:3…',
      'upload-:3…',
      'set 5:3…',
      'set 6:3…',
      'upload-:3…',
      'upload+:4…',
      'upload-:4…',
      'upload-:4…',
      'upload+:6',
      'upload-:6',
      'dispose:NaN',
    ]);
    // onRows sees every row of each frame shown, in order, by the upload that puts it on show; 5 never.
    const b = bandRows;
    const bands = steps.map((s) => s.bands.join(' '));
    expect(bands.filter(Boolean)).toEqual(['1:0-2600', `2:0-${b}`, `2:${b}-${2 * b}`, `2:${2 * b}-2600`, `3:0-${b}`, `3:${b}-${2 * b}`, `3:${2 * b}-2600`, `4:0-${b}`, `4:${b}-${2 * b}`, `4:${2 * b}-2600`, `6:0-${b}`, `6:${b}-${2 * b}`, `6:${2 * b}-2600`]);
    expect(steps.findIndex((s) => s.bands.join().includes('3:' + 2 * b))).toBe(seen.indexOf('upload+:3'));
    // After the first frame, no upload puts up more than a band: the second texture is allocated with no data.
    const streaming = steps.slice(2).filter((s) => s.action === 'upload');
    expect(Math.max(...streaming.map((s) => s.rows))).toBeLessThanOrEqual(bandRows);
    expect(Math.max(...steps.map((s) => s.textures))).toBe(2);
    expect(steps.at(-1)!.textures).toBe(0);
  });
});
