import { describe, expect, it } from 'vitest';
import { fillDepressions } from '../../../src/learn/terrain/fill';
import { accumulate, accumulateWithin, d8, heightAboveDrainage } from '../../../src/learn/terrain/flow';
import { slope, terrainFeatures, TERRAIN_CHANNELS } from '../../../src/learn/terrain/features';

const grid = (nx: number, ny: number, z: (r: number, c: number) => number, dx = 10, dy = 10) => ({
  nx,
  ny,
  dx,
  dy,
  z: Float64Array.from({ length: nx * ny }, (_, k) => z(Math.floor(k / nx), k % nx)),
});

describe('depression filling', () => {
  it('raises a pit to its spill level and lets every inland cell drain', () => {
    // 5 x 5 at 10 m with a pit of 5 m in the middle that spills north over an 8 m saddle to a 7 m edge.
    const g = grid(5, 5, (r, c) => (r === 2 && c === 2 ? 5 : r === 1 && c === 2 ? 8 : r === 0 && c === 2 ? 7 : 10));
    const { filled, routing } = fillDepressions(g);
    expect(filled[12]).toBe(8);
    expect(filled[7]).toBe(8);
    expect(filled[6]).toBe(10);
    for (let r = 1; r < 4; r++) {
      for (let c = 1; c < 4; c++) {
        const k = r * 5 + c;
        const lower = [-6, -5, -4, -1, 1, 4, 5, 6].some((o) => routing[k + o]! < routing[k]!);
        expect(lower, `cell ${k} drains`).toBe(true);
      }
    }
  });
});

describe('D8 drainage on a plane tilted south (1 m per row)', () => {
  const g = grid(4, 6, (r) => 6 - r);
  const drainage = d8(g, fillDepressions(g).routing);

  it('drains every cell straight south and the last row out of the grid', () => {
    for (let k = 0; k < 24; k++) expect(drainage.down[k]).toBe(k < 20 ? k + 4 : -1);
  });

  it('accumulates the cells above, and within a reach along the path', () => {
    const area = accumulate(drainage);
    expect(Array.from(area.subarray(20))).toEqual([6, 6, 6, 6]);
    expect(area[2]).toBe(1);
    // Reach of 25 m: a cell, and the two above it (10 m and 20 m upstream).
    const near = accumulateWithin(drainage, 25);
    expect(near[20]).toBe(3);
    expect(near[4]).toBe(2);
  });

  it('gives the height above the first channel cell downstream', () => {
    const area = accumulate(drainage);
    const hand = heightAboveDrainage(drainage, Float64Array.from(g.z), area, 3);
    expect(hand[0]).toBe(2); // row 0 (6 m) drains to row 2 (4 m), the first with 3 cells
    expect(hand[8]).toBe(0);
    expect(hand[23]).toBe(0);
  });
});

describe('terrain channels', () => {
  it('measures the slope of a plane exactly', () => {
    const s = slope(grid(5, 4, (r, c) => 0.1 * c * 20 + 0.05 * r * 10, 20, 10));
    for (const v of s) expect(v).toBeCloseTo(Math.hypot(0.1, 0.05), 12);
  });

  it('stacks every channel, finite, channel-major', () => {
    const g = grid(9, 7, (r, c) => 50 - 2 * r + Math.abs(c - 4));
    const f = terrainFeatures(g);
    expect(f.length).toBe(TERRAIN_CHANNELS.length * 63);
    expect(f.every(Number.isFinite)).toBe(true);
    expect(Array.from(f.subarray(0, 63))).toEqual(Array.from(Float32Array.from(g.z)));
    const logArea = f.subarray(2 * 63, 3 * 63);
    expect(Math.exp(logArea[6 * 9 + 4]!)).toBeGreaterThan(20); // the valley outlet gathers most cells
  });
});
