/**
 * The crash-loop rule shared with serve mode (src/server/engine-process.ts):
 * restart after each unexpected exit, unless there were more than
 * `maxInWindow` exits in the last `windowMs`.
 */
export const RESTART_WINDOW_MS = 60_000;
export const MAX_RESTARTS_IN_WINDOW = 5;

export class CrashLoopGuard {
  private readonly exits: number[] = [];

  constructor(
    private readonly windowMs = RESTART_WINDOW_MS,
    private readonly maxInWindow = MAX_RESTARTS_IN_WINDOW,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one exit; says whether a restart is still allowed and how many exits the window holds. */
  recordExit(): { restart: boolean; exitsInWindow: number } {
    const now = this.now();
    this.exits.push(now);
    while (this.exits.length && now - this.exits[0]! > this.windowMs) this.exits.shift();
    return { restart: this.exits.length <= this.maxInWindow, exitsInWindow: this.exits.length };
  }

  reset(): void {
    this.exits.length = 0;
  }
}
