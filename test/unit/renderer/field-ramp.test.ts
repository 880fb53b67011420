// The weather overlay's scale, shared by its shader and its legend: ticks on whole steps, placed where the ramp holds their values.
import { describe, expect, it } from 'vitest';
import { FIELD_STYLES, fieldPosition, fieldScale, fieldTicks } from '../../../renderer/src/scene/field-ramp';

describe('weather overlay scale and legend ticks', () => {
  it('rounds the ends out to whole steps that hold the data, with about five ticks', () => {
    const s = fieldScale('temperature', -15.3, 14.9);
    expect(s).toEqual({ lo: -20, hi: 20, step: 10 });
    const narrow = fieldScale('temperature', 3.7, 9.2);
    expect(narrow.lo).toBeLessThanOrEqual(3.7);
    expect(narrow.hi).toBeGreaterThanOrEqual(9.2);
    expect(fieldTicks('temperature', narrow).map((t) => t.value)).toEqual([2, 4, 6, 8, 10]);
  });

  it('puts every tick at the ramp position of its value (pressure: Pa streamed, hPa shown)', () => {
    const s = fieldScale('pressure', 88_412, 97_655);
    const ticks = fieldTicks('pressure', s);
    expect(ticks[0]!.at).toBe(0);
    expect(ticks.at(-1)!.at).toBe(1);
    for (const t of ticks) expect(fieldPosition(s, t.value / FIELD_STYLES.pressure.toDisplay)).toBeCloseTo(t.at, 12);
    expect(ticks.map((t) => t.value)).toEqual([875, 900, 925, 950, 975, 1000]);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(9);
  });

  it('shows relative humidity, streamed as a fraction, in whole percent', () => {
    const s = fieldScale('relativeHumidity', 0.612, 0.981);
    const ticks = fieldTicks('relativeHumidity', s);
    expect(ticks.map((t) => t.value)).toEqual([60, 70, 80, 90, 100]);
    for (const t of ticks) expect(fieldPosition(s, t.value / 100)).toBeCloseTo(t.at, 12);
  });

  it('survives a flat field', () => {
    const s = fieldScale('temperature', 5, 5);
    expect(s.hi).toBeGreaterThan(s.lo);
    expect(fieldPosition(s, 5)).toBeGreaterThan(0);
    expect(fieldPosition(s, 5)).toBeLessThan(1);
  });
});
