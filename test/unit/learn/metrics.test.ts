import { describe, expect, it } from 'vitest';
import { addContingency, climatology, contingency, csi, far, persistence, pod, regressionScores, skillScore } from '../../../src/learn/metrics/index';

describe('regression scores (hand-computed)', () => {
  const obs = [1, 2, 3, 4];
  const pred = [1.5, 2, 2.5, 5];

  it('gives MSE, RMSE, MAE, bias, Pearson r and Nash-Sutcliffe', () => {
    const s = regressionScores(obs, pred);
    expect(s.n).toBe(4);
    expect(s.mse).toBeCloseTo(0.375, 12); // (0.25 + 0 + 0.25 + 1) / 4
    expect(s.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(s.mae).toBeCloseTo(0.5, 12);
    expect(s.bias).toBeCloseTo(0.25, 12);
    expect(s.nse).toBeCloseTo(1 - 1.5 / 5, 12); // SSE 1.5, sum (o - 2.5)^2 = 5
    expect(s.pearson).toBeCloseTo(5.5 / Math.sqrt(5 * 7.25), 12);
  });

  it('scores only the masked cells', () => {
    const s = regressionScores(obs, pred, [1, 1, 0, 1]);
    expect(s.n).toBe(3);
    expect(s.mse).toBeCloseTo(1.25 / 3, 12);
  });

  it('is perfect for a perfect prediction and NaN where undefined', () => {
    const s = regressionScores(obs, obs);
    expect([s.mse, s.nse, s.pearson]).toEqual([0, 1, 1]);
    const flat = regressionScores([2, 2, 2], [1, 2, 3]);
    expect(flat.nse).toBeNaN();
    expect(flat.pearson).toBeNaN();
    expect(regressionScores([1, 2], [1, 2], [0, 0]).mse).toBeNaN();
  });

  it('refuses arrays of different lengths', () => {
    expect(() => regressionScores([1, 2], [1])).toThrow(/2 observations but 1 predictions/);
  });
});

describe('flood-map scores at a threshold', () => {
  // cell 0 false alarm, 1 hit, 2 miss, 3 correct negative, 4 hit (at the threshold counts as flooded)
  const obs = [0, 0.06, 0.1, 0.02, 0.05];
  const pred = [0.06, 0.07, 0.01, 0, 0.05];

  it('counts the contingency table and derives CSI, POD, FAR', () => {
    const t = contingency(obs, pred, 0.05);
    expect(t).toEqual({ hits: 2, misses: 1, falseAlarms: 1, correctNegatives: 1 });
    expect(csi(t)).toBeCloseTo(0.5, 12);
    expect(pod(t)).toBeCloseTo(2 / 3, 12);
    expect(far(t)).toBeCloseTo(1 / 3, 12);
  });

  it('pools tables and gives NaN with nothing flooded', () => {
    const t = contingency(obs, pred, 0.05);
    expect(addContingency(t, t)).toEqual({ hits: 4, misses: 2, falseAlarms: 2, correctNegatives: 2 });
    const dry = contingency([0, 0], [0, 0], 0.05);
    expect(csi(dry)).toBeNaN();
    expect(far(dry)).toBeNaN();
  });
});

describe('skill against references', () => {
  it('is 1 - score / reference', () => {
    expect(skillScore(0.25, 1)).toBeCloseTo(0.75, 12);
    expect(skillScore(2, 1)).toBeCloseTo(-1, 12);
    expect(skillScore(1, 0)).toBeNaN();
  });

  it('builds climatology and persistence references', () => {
    expect(Array.from(climatology([[1, 2], [3, 6]]))).toEqual([2, 4]);
    expect(() => climatology([[1], [1, 2]])).toThrow(/fields of 2 and 1/);
    const p = persistence([1, 2, 3], 1);
    expect(p[0]).toBeNaN();
    expect(Array.from(p.subarray(1))).toEqual([1, 2]);
    // Persistence of a ramp is off by the step everywhere: MSE 1 against the ramp.
    const ramp = [0, 1, 2, 3, 4];
    const ref = persistence(ramp, 1);
    expect(regressionScores(ramp.slice(1), Array.from(ref.subarray(1))).mse).toBe(1);
  });
});
