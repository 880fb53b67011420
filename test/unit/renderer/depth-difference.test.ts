import { describe, expect, it } from 'vitest';
import { depthDifference, symmetricScale } from '../../../renderer/src/scene/depth-difference';

describe('model-minus-physics depth difference', () => {
  it('differences wet cells, leaves cells dry in both out, and scales symmetrically on the 98th percentile', () => {
    const model = Float32Array.from([0, 0.5, 0.2, 0.005, 0]);
    const physics = Float32Array.from([0, 0.3, 0.4, 0.002, 0.05]);
    const d = depthDifference(model, physics);
    expect(Number.isNaN(d.values[0]!)).toBe(true);
    expect(Number.isNaN(d.values[3]!)).toBe(true);
    expect(d.values[1]).toBeCloseTo(0.2, 6);
    expect(d.values[2]).toBeCloseTo(-0.2, 6);
    expect(d.values[4]).toBeCloseTo(-0.05, 6);
    expect(d.cells).toBe(3);
    // |d| = 0.05, 0.2, 0.2: the 98th percentile is 0.2 -> steps of 0.1, +-0.2.
    expect(d.scale).toEqual({ lo: -0.2, hi: 0.2, step: 0.1 });
  });

  it('rounds the span out to whole steps, at least 1 cm', () => {
    expect(symmetricScale(0.37)).toEqual({ lo: -0.4, hi: 0.4, step: 0.2 });
    expect(symmetricScale(1.3)).toMatchObject({ hi: 2, step: 1 });
    expect(symmetricScale(0)).toMatchObject({ hi: 0.01, step: 0.005 });
    expect(() => depthDifference(new Float32Array(2), new Float32Array(3))).toThrow(RangeError);
  });
});
