/**
 * Pixel statistics for screenshots of the 3D view, so the tests check what is
 * drawn by numbers rather than by eye: how much of the canvas the terrain
 * covers, how varied it is, and how much relief shading it carries.
 */
import { PNG } from 'pngjs';

export interface Image {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8Array;
}

export function decodePng(png: Buffer): Image {
  const { width, height, data } = PNG.sync.read(png);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Rec. 709 luma of each pixel, 0..255. */
export function luminance(image: Image): Float32Array {
  const { data } = image;
  const out = new Float32Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.2126 * data[4 * i]! + 0.7152 * data[4 * i + 1]! + 0.0722 * data[4 * i + 2]!;
  return out;
}

export function pixel(image: Image, x: number, y: number): [number, number, number] {
  const i = 4 * (y * image.width + x);
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

/** Pixels whose colour differs from `background` by more than `tolerance` in some channel. */
export function foregroundMask(image: Image, background: readonly [number, number, number], tolerance = 12): Uint8Array {
  const { data } = image;
  const mask = new Uint8Array(image.width * image.height);
  for (let i = 0; i < mask.length; i++) {
    const d = Math.max(
      Math.abs(data[4 * i]! - background[0]),
      Math.abs(data[4 * i + 1]! - background[1]),
      Math.abs(data[4 * i + 2]! - background[2]),
    );
    mask[i] = d > tolerance ? 1 : 0;
  }
  return mask;
}

export function fraction(mask: Uint8Array): number {
  let n = 0;
  for (const m of mask) n += m;
  return n / mask.length;
}

export function stdDev(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length);
}

/**
 * Mean |discrete Laplacian| of luminance over pixels whose 4 neighbours are
 * also foreground: high where shading draws ridges and valleys, near zero on
 * flat colour.
 */
export function meanAbsLaplacian(lum: Float32Array, mask: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!(mask[i] && mask[i - 1] && mask[i + 1] && mask[i - width] && mask[i + width])) continue;
      sum += Math.abs(4 * lum[i]! - lum[i - 1]! - lum[i + 1]! - lum[i - width]! - lum[i + width]!);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Mean |horizontal and vertical luminance differences| over foreground pixels. */
export function meanAbsGradient(lum: Float32Array, mask: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const i = y * width + x;
      if (!(mask[i] && mask[i + 1] && mask[i + width])) continue;
      sum += Math.abs(lum[i + 1]! - lum[i]!) + Math.abs(lum[i + width]! - lum[i]!);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Mean |a - b| over pixels set in both masks. */
export function meanAbsDifference(a: Float32Array, b: Float32Array, maskA: Uint8Array, maskB: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (!maskA[i] || !maskB[i]) continue;
    sum += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return n ? sum / n : 0;
}

/** Pixels whose colour differs between two renders of the same view. */
export function changedMask(a: Image, b: Image, tolerance = 12): Uint8Array {
  const mask = new Uint8Array(a.width * a.height);
  for (let i = 0; i < mask.length; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(a.data[4 * i + c]! - b.data[4 * i + c]!));
    mask[i] = d > tolerance ? 1 : 0;
  }
  return mask;
}

/** Share of the pixels set in `mask` (within `within`, when given). */
export function maskShare(mask: Uint8Array, within?: Uint8Array): number {
  let n = 0;
  let of = 0;
  for (let i = 0; i < mask.length; i++) {
    if (within && !within[i]) continue;
    of++;
    n += mask[i]!;
  }
  return of ? n / of : 0;
}

/** Whether every pixel of the (2r+1)^2 window around (x, y) has `value` in the mask. */
export function all(mask: Uint8Array, width: number, x: number, y: number, r: number, value: 0 | 1): boolean {
  const height = mask.length / width;
  if (x < r || y < r || x >= width - r || y >= height - r) return false;
  for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) if (mask[(y + j) * width + x + i] !== value) return false;
  return true;
}

/** The mask grown by r pixels (a square window). */
export function dilate(mask: Uint8Array, r: number, width: number): Uint8Array {
  const height = mask.length / width;
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) out.fill(1, j * width + Math.max(0, x - r), j * width + Math.min(width - 1, x + r) + 1);
    }
  }
  return out;
}

/**
 * `count` pixels meeting `ok`, spread over the picture (scanned on a grid `stride` px apart, `margin` px in from
 * the edges, then taken evenly along the list).
 */
export function pickPixels(width: number, height: number, ok: (x: number, y: number) => boolean, count = 3, stride = 9, margin = 10): [number, number][] {
  const found: [number, number][] = [];
  for (let y = margin; y < height - margin; y += stride) for (let x = margin; x < width - margin; x += stride) if (ok(x, y)) found.push([x, y]);
  if (found.length < count) return found;
  return Array.from({ length: count }, (_, k) => found[Math.floor(((2 * k + 1) * found.length) / (2 * count))]!);
}

/**
 * Pixels of the background colour (within `tolerance`) that cannot reach the
 * picture's border through other background pixels (4-connected): holes in
 * what is drawn, such as cracks in a surface.
 */
export function enclosedBackground(image: Image, background: readonly [number, number, number], tolerance = 4): number {
  const { width, height, data } = image;
  const isBackground = new Uint8Array(width * height);
  for (let i = 0; i < isBackground.length; i++) {
    const d = Math.max(Math.abs(data[4 * i]! - background[0]), Math.abs(data[4 * i + 1]! - background[1]), Math.abs(data[4 * i + 2]! - background[2]));
    isBackground[i] = d <= tolerance ? 1 : 0;
  }
  const reached = new Uint8Array(width * height);
  const stack: number[] = [];
  const visit = (i: number) => {
    if (isBackground[i] && !reached[i]) {
      reached[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i < width * (height - 1)) visit(i + width);
  }
  let enclosed = 0;
  for (let i = 0; i < isBackground.length; i++) if (isBackground[i] && !reached[i]) enclosed++;
  return enclosed;
}
