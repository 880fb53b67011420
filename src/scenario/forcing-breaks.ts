/** The forcing breaks of a run (FloodSetup.forcingBreaks): inside (0, duration), ascending, each once. */
export function forcingBreaks(times: readonly number[], durationS: number): number[] {
  const inside = times.filter((t) => Number.isFinite(t) && t > 0 && t < durationS).sort((a, b) => a - b);
  return inside.filter((t, i) => i === 0 || t > inside[i - 1]!);
}

/** The first break after `time` (beyond round-off), or Infinity. */
export function nextBreak(breaks: readonly number[] | undefined, time: number): number {
  if (!breaks) return Infinity;
  const eps = 1e-9 * Math.max(1, time);
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid]! > time + eps) hi = mid;
    else lo = mid + 1;
  }
  return lo < breaks.length ? breaks[lo]! : Infinity;
}
