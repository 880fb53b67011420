#!/usr/bin/env node
/**
 * Draws build/icon.png (512 x 512): two shaded ridges above a flooded valley
 * on a rounded square. Procedural and deterministic, so the icon is rebuilt
 * from this file rather than edited by hand:
 *
 *   node build/make-icon.mjs [out.png] [size]
 *
 * electron-builder converts this PNG to .ico / .icns when packaging.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, 'icon.png');
const size = Number(process.argv[3] ?? 512);
const SS = 4; // supersamples per axis, for smooth edges

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const clamp01 = (t) => Math.min(1, Math.max(0, t));

// Unit coordinates: u, v in [0, 1], v grows downwards.
const peak = (u, at, width, height) => height * Math.max(0, 1 - Math.abs(u - at) / width) ** 1.2;
const massif = (u) => peak(u, 0.36, 0.3, 0.44) + peak(u, 0.7, 0.26, 0.32);
/** v of the skyline. */
const ridge = (u) => 0.74 - massif(u) - 0.018 * Math.sin(u * 47) - 0.008 * Math.sin(u * 113);
/** Skyline without the small bumps: what the hillshade follows. */
const smoothRidge = (u) => 0.74 - massif(u) - 0.018 * Math.sin(u * 47);
const WATER = 0.7;

function insideRoundedSquare(u, v) {
  const r = 0.19;
  const m = 0.03; // margin
  const x = Math.max(m + r - u, 0, u - (1 - m - r));
  const y = Math.max(m + r - v, 0, v - (1 - m - r));
  return x * x + y * y <= r * r && u >= m && u <= 1 - m && v >= m && v <= 1 - m;
}

function colour(u, v) {
  if (!insideRoundedSquare(u, v)) return null;
  const skyTop = [22, 46, 78];
  const skyLow = [58, 104, 146];
  let c = mix(skyTop, skyLow, clamp01(v / 0.75));
  const sky = ridge(u);
  if (v >= sky) {
    // Terrain: slope-lit from the west (hillshade), snow near the peaks.
    const slope = (smoothRidge(u + 0.01) - smoothRidge(u - 0.01)) / 0.02;
    const light = clamp01(0.55 - slope * 0.35);
    const depth = clamp01((v - sky) / 0.35);
    const rock = mix([92, 122, 84], [48, 70, 52], depth);
    c = mix(mix(rock, [20, 30, 26], 0.55), mix(rock, [214, 222, 196], 0.25), light);
    if (sky < 0.42 && v < sky + 0.05 + 0.02 * Math.sin(u * 90)) c = mix(c, [236, 242, 248], 0.85);
  }
  if (v >= WATER) {
    // Flood water: deepening blue with light ripple lines.
    const d = clamp01((v - WATER) / 0.27);
    c = mix([64, 156, 230], [22, 78, 160], d);
    const ripple = Math.sin((v - WATER) * 150 + Math.sin(u * 18) * 2.2);
    if (ripple > 0.93) c = mix(c, [210, 236, 255], 0.6);
    if (v < WATER + 0.008) c = mix(c, [226, 244, 255], 0.8);
  }
  return c;
}

const png = new PNG({ width: size, height: size });
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let n = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colour((x + (sx + 0.5) / SS) / size, (y + (sy + 0.5) / SS) / size);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        n++;
      }
    }
    const i = (y * size + x) * 4;
    png.data[i] = n ? Math.round(r / n) : 0;
    png.data[i + 1] = n ? Math.round(g / n) : 0;
    png.data[i + 2] = n ? Math.round(b / n) : 0;
    png.data[i + 3] = Math.round((255 * n) / (SS * SS));
  }
}
writeFileSync(out, PNG.sync.write(png));
console.log(`wrote ${out} (${size} x ${size})`);
