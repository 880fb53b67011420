import { describe, expect, it } from 'vitest';
import { forcingBreaks, nextBreak } from '../../../src/scenario/forcing-breaks';

describe('forcing breaks', () => {
  it('keeps the times inside the run, ascending, each once', () => {
    expect(forcingBreaks([600, 0, 60, 60, 900, 1200, Number.NaN, 300], 900)).toEqual([60, 300, 600]);
    expect(forcingBreaks([], 900)).toEqual([]);
  });

  it('finds the first break after a time, past round-off', () => {
    const b = [60, 300, 600];
    expect(nextBreak(b, 0)).toBe(60);
    expect(nextBreak(b, 59.999)).toBe(60);
    expect(nextBreak(b, 60)).toBe(300);
    expect(nextBreak(b, 60 - 1e-12)).toBe(300); // a step that landed on 60 up to round-off
    expect(nextBreak(b, 600)).toBe(Infinity);
    expect(nextBreak(undefined, 10)).toBe(Infinity);
  });
});
