import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { FieldInputs } from '../../../src/learn/inputs';
import { evaluateResponse, fitResponse } from '../../../src/learn/response';
import { decodeTarget, encodeTarget } from '../../../src/learn/target';

// A 3 x 2 grid. Static: a = 0..5 (row-major), then the response surface: intercept 1 everywhere,
// slope on log intensity = a, on log duration = 0. Forcing: log_intensity, log_duration.
const nx = 3;
const ny = 2;
const a = [0, 1, 2, 3, 4, 5];
const staticData = Float32Array.from([...a, 1, 1, 1, 1, 1, 1, ...a, 0, 0, 0, 0, 0, 0]);
const unit = { mean: 0, std: 1 };
const stats = {
  inputs: { a: { mean: 1, std: 2 }, response_1: unit, response_log_intensity: unit, response_log_duration: unit, log_intensity: { mean: 5, std: 5 }, log_duration: unit },
  target: unit,
};
const names = { static: ['a', 'response_1', 'response_log_intensity', 'response_log_duration'], forcing: ['log_intensity', 'log_duration'] };

describe('network inputs', () => {
  const inputs = new FieldInputs(staticData, nx, ny, names, stats);

  it('normalises forcing and evaluates the response surface at the scenario', () => {
    const s = inputs.scenario([15, 3]);
    expect(Array.from(s.forcing)).toEqual([2, 3]);
    // baseline = 1 + a * 2 + 0 * 3
    expect(Array.from(s.baseline)).toEqual(a.map((v) => 1 + 2 * v));
    expect(inputs.channels).toBe(4 + 2 + 1);
  });

  it('writes channels-last patches (static, forcing, baseline), flipped as asked', () => {
    const s = inputs.scenario([15, 3]);
    const out = new Float32Array(2 * 2 * 7);
    const target = { values: Float32Array.from(a), out: new Float32Array(4), offset: 0 };
    inputs.writePatch(out, 0, s, 0, 1, 2, false, false, target);
    expect(Array.from(target.out)).toEqual([1, 2, 4, 5]);
    // cell (0, 1): a = 1 -> (1 - 1) / 2 = 0; response 1, 1, 0; forcing 2, 3; baseline 3
    expect(Array.from(out.subarray(0, 7))).toEqual([0, 1, 1, 0, 2, 3, 3]);
    inputs.writePatch(out, 0, s, 0, 1, 2, true, true, target);
    expect(Array.from(target.out)).toEqual([5, 4, 2, 1]);
    expect(out[6]).toBe(11); // baseline of cell (1, 2)
  });

  it('pads the whole field by edge replication to a multiple, then writes a scenario into it', () => {
    const f = inputs.field(4);
    expect([f.height, f.width]).toEqual([4, 4]);
    const at = (r: number, c: number) => f.data[(r * 4 + c) * 7]! * 2 + 1;
    expect([at(0, 0), at(0, 2), at(0, 3), at(1, 2), at(3, 3), at(3, 0)]).toEqual([0, 2, 2, 5, 5, 3]);
    inputs.writeScenario(f, inputs.scenario([5, 7]));
    // cell (3, 3) replicates (1, 2), a = 5: static (5 - 1) / 2, 1, 5, 0; forcing 0, 7; baseline 1 + 5 * 0
    expect(Array.from(f.data.subarray(15 * 7, 16 * 7))).toEqual([2, 1, 5, 0, 0, 7, 1]);
  });

  it('refuses NaN forcing, missing channels or statistics, and mismatched sizes, naming them', () => {
    expect(() => inputs.scenario([NaN, 1])).toThrow(/forcing: log_intensity is NaN/);
    expect(() => inputs.scenario([1])).toThrow(/1 values for 2 channels/);
    expect(() => new FieldInputs(staticData, nx, ny, { ...names, forcing: ['log_intensity', 'rain'] }, stats)).toThrow(/no statistics for channel rain/);
    expect(() => new FieldInputs(staticData.subarray(0, 18), nx, ny, { ...names, static: ['a', 'response_1', 'response_log_intensity'] }, stats)).toThrow(
      /no response_log_duration/,
    );
    const err = (() => {
      try {
        new FieldInputs(staticData.subarray(1), nx, ny, names, stats);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).message).toMatch(/23 values for 4 channels of 3 x 2/);
  });
});

describe('response surface', () => {
  it('recovers a per-cell linear response exactly and evaluates it', () => {
    // Two cells: y = 2 + 3 b1 - b2 and y = -1 + 0.5 b2, sampled at four scenarios.
    const basis = [
      [1, 0, 0],
      [1, 1, 0],
      [1, 0, 1],
      [1, 2, -1],
    ];
    const targets = basis.map(([, b1, b2]) => [2 + 3 * b1! - b2!, -1 + 0.5 * b2!]);
    const coef = fitResponse(targets, basis);
    [2, -1, 3, 0, -1, 0.5].forEach((v, i) => expect(coef[i]).toBeCloseTo(v, 5));
    const planes = [coef.subarray(0, 2), coef.subarray(2, 4), coef.subarray(4, 6)];
    const at = evaluateResponse(planes, [1, 1, 1], 2);
    expect(at[0]).toBeCloseTo(4, 5);
    expect(at[1]).toBeCloseTo(-0.5, 5);
  });
});

describe('target encoding', () => {
  it('round-trips depths and maps a negative square root to dry', () => {
    const s = { mean: 0.1, std: 0.2 };
    const depth = Float32Array.from([0, 0.01, 0.25, 4]);
    const back = decodeTarget(encodeTarget(depth, s), s);
    depth.forEach((d, i) => expect(back[i]).toBeCloseTo(d, 5));
    expect(encodeTarget([0.25], s)[0]).toBeCloseTo((0.5 - 0.1) / 0.2, 6);
    expect(Array.from(decodeTarget([-3], s))).toEqual([0]);
  });
});
