/**
 * A float texture with one texel per DEM cell (row 0 north), as the engine's
 * frames are, that takes a new frame without stalling the page on large
 * terrains.
 *
 * One texImage of a 2048 x 2048 float field (16 MB) blocked the main thread
 * for 10 ms on an H100 where a 1024 x 1024 one (4 MB) took 0.6 ms: Chromium
 * passes uploads through a transfer buffer of a few MB and waits on the GPU
 * process once a single upload outgrows it. So a frame bigger than one band
 * (BAND_BYTES) is uploaded a band of rows per drawn frame into a second
 * texture while the first stays on show, and the two swap when it is
 * complete: playback of a 4 M-cell run costs a small upload per frame and
 * shows each frame a few drawn frames late, never half of one. A frame that
 * arrives during an upload waits for it to finish (the newest one only), so
 * fast playback still shows every frame it can.
 *
 * A frame that fits one band, or the first frame after none, goes up whole in
 * the next drawn frame, exactly as a plain DataTexture would: small sites
 * keep one texture and see no delay.
 *
 * `onRows` sees each band of a frame as it goes up (the whole frame at once
 * when it goes up whole), before upload() reports the frame on show: work
 * over the frame's values (wet-tiles.ts) is spread over the same frames.
 */
import { Box2, DataTexture, FloatType, NearestFilter, RedFormat, Vector2, type WebGLRenderer } from 'three';

/** Most bytes uploaded per drawn frame while a large frame streams in (the 1 M-cell upload that did not stall). */
export const BAND_BYTES = 4 * 2 ** 20;

function floatTexture(values: Float32Array, nx: number, ny: number): DataTexture {
  const texture = new DataTexture(values, nx, ny, RedFormat, FloatType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  return texture;
}

export class StreamedCellTexture {
  /** Rows per band. */
  readonly bandRows: number;
  /** The frame being uploaded, or the one on show when none is. */
  private readonly values: Float32Array;
  /** `values` as an upload source for bands; never drawn, so three.js never gives it a GPU texture. */
  private readonly source: DataTexture;
  private front: DataTexture;
  private back: DataTexture | null = null;
  /** Next row of `values` to upload into `back`; null when no upload is under way. */
  private row: number | null = null;
  /** A frame that arrived during an upload (copied: the caller's array may change). */
  private next: Float32Array | null = null;
  private hasNext = false;
  /** Whether `front` holds a frame (false until one is set, and again after clear()). */
  private showing = false;
  /** A frame set to go up whole in the next upload(). */
  private whole = false;
  private readonly region = new Box2();
  private readonly at = new Vector2();

  constructor(
    readonly nx: number,
    readonly ny: number,
    private readonly onRows?: (values: Float32Array, from: number, to: number) => void,
  ) {
    this.values = new Float32Array(nx * ny);
    this.source = new DataTexture(this.values, nx, ny, RedFormat, FloatType);
    this.front = floatTexture(this.values, nx, ny);
    this.bandRows = Math.max(1, Math.floor(BAND_BYTES / (4 * nx)));
  }

  /** The texture to draw: the last complete frame. */
  get texture(): DataTexture {
    return this.front;
  }

  /** True while a frame is still being uploaded: keep drawing frames until it is on show. */
  get pending(): boolean {
    return this.whole || this.row !== null || this.hasNext;
  }

  /** Sets the frame to show (one value per cell); it is on show once upload() has put it up. */
  set(frame: Float32Array): void {
    if (frame.length !== this.values.length) throw new RangeError(`a frame of ${frame.length} cells for a ${this.values.length}-cell texture`);
    if (!this.showing || this.ny <= this.bandRows) {
      // Whole, in the next drawn frame: the first frame, or one that fits a band.
      this.row = null;
      this.hasNext = false;
      this.values.set(frame);
      this.whole = true;
      this.showing = true;
    } else if (this.row === null) {
      this.values.set(frame);
      this.row = 0;
    } else {
      this.next ??= new Float32Array(this.values.length);
      this.next.set(frame);
      this.hasNext = true;
    }
  }

  /** Nothing on show: the next frame goes up whole. */
  clear(): void {
    this.showing = false;
    this.whole = false;
    this.row = null;
    this.hasNext = false;
  }

  /**
   * Uploads a whole frame set, or the next band of a streaming one, before a
   * frame is drawn; returns true when a new frame comes on show with this
   * drawn frame (the texture to draw may have changed).
   */
  upload(renderer: WebGLRenderer): boolean {
    if (this.whole) {
      this.whole = false;
      this.onRows?.(this.values, 0, this.ny);
      this.front.needsUpdate = true;
      return true;
    }
    if (this.row === null && this.hasNext) {
      this.values.set(this.next!);
      this.hasNext = false;
      this.row = 0;
    }
    if (this.row === null) return false;
    if (!this.back) {
      // Allocated empty, so its first frame streams in bands too: a whole first upload
      // (and the scan of every row at once) took 18-21 ms of one frame at 4 M cells on an H100.
      this.back = floatTexture(this.values, this.nx, this.ny);
      this.back.source.dataReady = false;
      renderer.initTexture(this.back);
      this.back.source.dataReady = true;
    }
    const rows = Math.min(this.bandRows, this.ny - this.row);
    if (rows > 0) {
      this.region.min.set(0, this.row);
      this.region.max.set(this.nx, this.row + rows);
      renderer.copyTextureToTexture(this.source, this.back, this.region, this.at.set(0, this.row));
      this.onRows?.(this.values, this.row, this.row + rows);
      this.row += rows;
    }
    if (this.row < this.ny) return false;
    [this.front, this.back] = [this.back, this.front];
    this.row = null;
    return true;
  }

  dispose(): void {
    this.front.dispose();
    this.back?.dispose();
  }
}
