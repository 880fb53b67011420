/**
 * Fields derived from a flood run's frames as they arrive, for any frame k
 * on the timeline: the maximum depth over frames 0..k, the worst hazard
 * class over frames 0..k (ARR 2019 H1-H6, ./flood-hazard.ts) and the time
 * each cell first held {@link FLOODED_DEPTH_M} of water, if by frame k.
 *
 * Cost: push() folds one frame into the running extremes, O(cells); the
 * extremes at the newest frame are those. Arrival needs no history: each
 * cell keeps the index of its first flooded frame, and "by frame k" is a
 * comparison. Extremes at an earlier frame (a scrub back) restart from the
 * nearest snapshot at or before it, taken every {@link CHECKPOINT_EVERY}
 * frames, and fold forward (at most CHECKPOINT_EVERY frames); playing
 * forward from there folds one frame per step. A snapshot costs 5 bytes
 * a cell, against the 12 a cell of each of the CHECKPOINT_EVERY frames it
 * spans: about 5 % more memory than the frames themselves.
 *
 * These are extremes over the streamed frames: a peak between two frames is
 * missed. The engine's run folder holds the same rasters tracked at every
 * solver step (max_depth, hazard, arrival_time).
 */
import { FLOODED_DEPTH_M, hazardClass } from './flood-hazard';

export interface FloodFields {
  time: number;
  /** m, one value per cell, row 0 north. */
  depth: Float32Array;
  /** m/s east and north. */
  u: Float32Array;
  v: Float32Array;
}

/** Frames between snapshots of the extremes. */
export const CHECKPOINT_EVERY = 8;

/** Extremes of frames 0..index (index -1: no frame yet). */
interface Extremes {
  index: number;
  maxDepth: Float32Array;
  /** Class index 0..5, -1 never flooded. */
  hazard: Int8Array;
}

export class FloodDerived {
  private readonly frames: FloodFields[] = [];
  /** Index of the first frame with the cell flooded; -1 not yet. */
  private readonly arrival: Int32Array;
  private readonly latest: Extremes;
  /** Extremes at the last frame asked for that was not the newest. */
  private readonly cursor: Extremes;
  /** Snapshots of the extremes at frames CHECKPOINT_EVERY - 1, 2 CHECKPOINT_EVERY - 1, ... */
  private readonly checkpoints: Extremes[] = [];
  /** Frames folded into extremes so far (all causes): for tests of the cost. */
  folds = 0;

  constructor(readonly cells: number) {
    this.arrival = new Int32Array(cells).fill(-1);
    this.latest = emptyExtremes(cells);
    this.cursor = emptyExtremes(cells);
  }

  /** Frames received. */
  get count(): number {
    return this.frames.length;
  }

  /** Adds the next frame (in time order); O(cells). The arrays are kept, not copied: do not change them afterwards. */
  push(frame: FloodFields): void {
    for (const field of [frame.depth, frame.u, frame.v]) {
      if (field.length !== this.cells) throw new RangeError(`a frame field of ${field.length} cells for ${this.cells} cells`);
    }
    const k = this.frames.length;
    this.frames.push(frame);
    const { depth } = frame;
    const arrival = this.arrival;
    for (let i = 0; i < depth.length; i++) if (arrival[i]! < 0 && depth[i]! >= FLOODED_DEPTH_M) arrival[i] = k;
    this.fold(this.latest, frame);
    if ((k + 1) % CHECKPOINT_EVERY === 0) this.checkpoints.push(copyExtremes(this.latest));
  }

  /** Writes into `out` the maximum depth (m) of each cell over frames 0..k. */
  maxDepthAt(k: number, out: Float32Array): Float32Array {
    out.set(this.extremesAt(k).maxDepth);
    return out;
  }

  /** Writes into `out` each cell's worst hazard class over frames 0..k: 0 (H1) ... 5 (H6), NaN never flooded. */
  hazardAt(k: number, out: Float32Array): Float32Array {
    const { hazard } = this.extremesAt(k);
    for (let i = 0; i < hazard.length; i++) out[i] = hazard[i]! < 0 ? NaN : hazard[i]!;
    return out;
  }

  /** Writes into `out` the time (s) of each cell's first flooded frame, NaN if none by frame k. O(cells). */
  arrivalAt(k: number, out: Float32Array): Float32Array {
    const last = this.check(k);
    const { arrival, frames } = this;
    for (let i = 0; i < arrival.length; i++) {
      const a = arrival[i]!;
      out[i] = a >= 0 && a <= last ? frames[a]!.time : NaN;
    }
    return out;
  }

  /** The extremes over frames 0..k: the newest, or the cursor moved there from it or from the nearest snapshot. */
  private extremesAt(k: number): Extremes {
    const index = this.check(k);
    if (index === this.latest.index) return this.latest;
    const cursor = this.cursor;
    const snapshot = this.checkpoints[Math.floor((index + 1) / CHECKPOINT_EVERY) - 1];
    const cursorUsable = cursor.index <= index;
    if (snapshot && (!cursorUsable || snapshot.index > cursor.index)) {
      cursor.maxDepth.set(snapshot.maxDepth);
      cursor.hazard.set(snapshot.hazard);
      cursor.index = snapshot.index;
    } else if (!cursorUsable) {
      cursor.maxDepth.fill(0);
      cursor.hazard.fill(-1);
      cursor.index = -1;
    }
    while (cursor.index < index) this.fold(cursor, this.frames[cursor.index + 1]!);
    return cursor;
  }

  private check(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.frames.length) throw new RangeError(`frame ${k} of ${this.frames.length}`);
    return k;
  }

  private fold(into: Extremes, frame: FloodFields): void {
    const { depth, u, v } = frame;
    const { maxDepth, hazard } = into;
    for (let i = 0; i < depth.length; i++) {
      const d = depth[i]!;
      if (d > maxDepth[i]!) maxDepth[i] = d;
      if (d < FLOODED_DEPTH_M) continue;
      const c = hazardClass(d, Math.sqrt(u[i]! * u[i]! + v[i]! * v[i]!));
      if (c > hazard[i]!) hazard[i] = c;
    }
    into.index++;
    this.folds++;
  }
}

function emptyExtremes(cells: number): Extremes {
  return { index: -1, maxDepth: new Float32Array(cells), hazard: new Int8Array(cells).fill(-1) };
}

function copyExtremes(e: Extremes): Extremes {
  return { index: e.index, maxDepth: e.maxDepth.slice(), hazard: e.hazard.slice() };
}
