// The water's ripples: the octave ladder and its clock, and the block-mean flow the ripples drift with.
import { describe, expect, it } from 'vitest';
import { blockMeanFlow, flowBlocks } from '../../../renderer/src/scene/flow-texture';
import {
  CALM_DEPTH_M,
  CELLS_PER_WAVELENGTH,
  LATTICE_PERIOD,
  MIN_RIPPLE_PIXELS,
  RIPPLE_BAND,
  RIPPLE_LADDER,
  RIPPLE_OCTAVES,
  RIPPLE_WIND,
  SHORTEST_RIPPLE_M,
  ripplePhases,
} from '../../../renderer/src/scene/water-ripples';

describe('ripple octaves', () => {
  it('double in wavelength and travel at the deep-water phase speed, around the wind', () => {
    expect(RIPPLE_OCTAVES.length).toBe(RIPPLE_LADDER);
    RIPPLE_OCTAVES.forEach((o, k) => {
      expect(o.wavelength).toBeCloseTo(SHORTEST_RIPPLE_M * 2 ** k, 12);
      expect(o.speed).toBeCloseTo(Math.sqrt((9.81 * o.wavelength) / (2 * Math.PI)), 12);
      // Spin: the angular frequency of that wave, omega = c k.
      expect(o.spinRate).toBeCloseTo((o.speed * 2 * Math.PI) / o.wavelength, 9);
      expect(o.direction[0] * RIPPLE_WIND[0] + o.direction[1] * RIPPLE_WIND[1]).toBeGreaterThan(0.8);
    });
    // A one-metre ripple moves at about 1.25 m/s; a 64 m swell at 10.
    expect(RIPPLE_OCTAVES[2]!.speed).toBeCloseTo(1.249, 2);
  });

  it('reach from close-up ripples to kilometre swells for far views, a band at a time', () => {
    // The band's shortest octave is at least MIN_RIPPLE_PIXELS / 2 pixels long: from 5 cm a pixel (zoomed in on
    // a puddle) to 150 m a pixel (a 200 km coast whole), some band fits on the ladder; farther out the
    // water fades to calm (no flood has waves kilometres long).
    for (const metresPerPixel of [0.05, 0.5, 40, 150]) {
      const lod = Math.log2((metresPerPixel * MIN_RIPPLE_PIXELS) / SHORTEST_RIPPLE_M);
      expect(Math.max(0, Math.floor(lod)) + RIPPLE_BAND).toBeLessThanOrEqual(RIPPLE_LADDER);
    }
    expect(CALM_DEPTH_M).toBeGreaterThanOrEqual(0.05);
  });
});

describe('ripple clock', () => {
  it('moves each octave across its crests at its speed, wrapped to the lattice, and spins it wrapped to a turn', () => {
    const a = ripplePhases(10);
    const b = ripplePhases(10.01);
    RIPPLE_OCTAVES.forEach((o, k) => {
      expect(a[4 * k]).toBeGreaterThanOrEqual(0);
      expect(a[4 * k]).toBeLessThan(LATTICE_PERIOD);
      expect(a[4 * k + 1]).toBeGreaterThanOrEqual(0);
      expect(a[4 * k + 1]).toBeLessThan(2 * Math.PI);
      // 10 ms later: moved speed * 0.01 m, in noise cells.
      let step = b[4 * k]! - a[4 * k]!;
      if (step < 0) step += LATTICE_PERIOD;
      expect(step).toBeCloseTo((CELLS_PER_WAVELENGTH * o.speed * 0.01) / o.wavelength, 4);
    });
  });

  it('keeps its precision after hours: no jump from one frame to the next', () => {
    const hours = 5 * 3600 + 0.25;
    const a = ripplePhases(hours);
    const b = ripplePhases(hours + 1 / 60);
    const o = RIPPLE_OCTAVES[0]!;
    let d = b[0]! - a[0]!;
    if (d < 0) d += LATTICE_PERIOD; // wrapped in between
    expect(d).toBeCloseTo((CELLS_PER_WAVELENGTH * o.speed) / 60 / o.wavelength, 3);
  });
});

describe('block-mean flow', () => {
  it('groups cells into at most 256 texels a side', () => {
    expect(flowBlocks(403, 344)).toEqual({ block: 2, bx: 202, by: 172 });
    expect(flowBlocks(1024, 1024)).toEqual({ block: 4, bx: 256, by: 256 });
    expect(flowBlocks(100, 50)).toEqual({ block: 1, bx: 100, by: 50 });
  });

  it('averages the wet cells of each block only, and leaves dry blocks still', () => {
    // 4 x 2 cells in 2 x 2 blocks: the west block has one wet, moving cell; the east block none.
    const depth = Float32Array.from([0.5, 0, 0, 0, 0.001, 0.2, 0, NaN]);
    const u = Float32Array.from([1, 9, 9, 9, 9, 3, 9, 9]);
    const v = Float32Array.from([-2, 9, 9, 9, 9, 0, 9, 9]);
    const blocks = flowBlocks(4, 2, 2);
    expect(blocks).toEqual({ block: 2, bx: 2, by: 1 });
    const out = blockMeanFlow(depth, u, v, 4, blocks, 0.01, new Float32Array(4).fill(7));
    // West: cells 0 (1, -2) and 5 (3, 0) are wet: mean (2, -1). East: dry, and NaN depth is not water.
    expect(Array.from(out)).toEqual([2, -1, 0, 0]);
  });

  it('ignores velocities that are not finite', () => {
    const out = blockMeanFlow(Float32Array.from([1, 1]), Float32Array.from([NaN, 2]), Float32Array.from([0, 4]), 2, flowBlocks(2, 1, 1), 0.01, new Float32Array(2));
    expect(Array.from(out)).toEqual([2, 4]);
  });
});
