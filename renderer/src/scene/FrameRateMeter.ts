/**
 * Frames per second measured from requestAnimationFrame timestamps, reported
 * over a sliding window so the number is steady enough to read.
 */
export class FrameRateMeter {
  private windowStart = -1;
  private frames = 0;
  private last: number | null = null;

  /** @param windowMs how long each measurement spans */
  constructor(private readonly windowMs = 1000) {}

  /** Frames per second over the last completed window, or null before the first one. */
  get fps(): number | null {
    return this.last;
  }

  /** Counts one frame at rAF time `now`; returns true when a new measurement is ready. */
  tick(now: number): boolean {
    if (this.windowStart < 0) {
      this.windowStart = now;
      return false;
    }
    this.frames++;
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return false;
    this.last = (this.frames * 1000) / elapsed;
    this.frames = 0;
    this.windowStart = now;
    return true;
  }

  /** Forgets the current window (e.g. after the page was hidden). */
  reset(): void {
    this.windowStart = -1;
    this.frames = 0;
  }
}
