// gauges.csv numbers: 9 significant digits, and never a corrupted exponent.
import { describe, expect, it } from 'vitest';
import { formatGaugeNumber } from '../../../src/scenario/gauge-writer';

describe('gauge number format', () => {
  it.each([
    [1.7857138e-10, '1.7857138e-10'],
    [1e-10, '1e-10'],
    [2.5e-20, '2.5e-20'],
    [0.1000000004, '0.1'],
    [123.456789012, '123.456789'],
    [-0.00012345678912, '-0.000123456789'],
    [42, '42'],
    [0, '0'],
  ])('%s -> %s', (x, text) => {
    expect(formatGaugeNumber(x)).toBe(text);
    expect(Math.abs(Number(formatGaugeNumber(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-9);
  });
});
