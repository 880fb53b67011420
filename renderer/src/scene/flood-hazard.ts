/**
 * Flood hazard classes H1-H6 from the combined hazard curves of Australian
 * Rainfall and Runoff 2019, Book 6 Chapter 7, Table 6.7.4 (after Smith,
 * Davey and Cox 2014, AIDR Handbook 7 Guideline 7-3; the same curves as NSW
 * Flood Risk Management Guideline FB03, 2023, Figure 1). A class is the
 * first whose three limits all hold: depth D (m), speed V (m/s) and their
 * product D x V (m^2/s); H3 shares H2's D x V limit and differs by depth.
 * Shared by the derived-field module (which classifies every frame) and the
 * hazard legend, so the two always agree.
 */
import type { RampStop } from './elevation-ramp';

export interface HazardClass {
  label: string;
  /** Upper limits (inclusive): depth m, speed m/s, depth x speed m^2/s. */
  depth: number;
  speed: number;
  dv: number;
  /** Who the water is unsafe for (ARR 2019 Table 6.7.4), and a legend's short form of it. */
  meaning: string;
  short: string;
  rgb: readonly [number, number, number];
}

const hex = (value: number): readonly [number, number, number] => [
  ((value >> 16) & 255) / 255,
  ((value >> 8) & 255) / 255,
  (value & 255) / 255,
];

/** Pale green (safe) through yellow and orange to deep red and purple: the order reads without the legend. */
export const HAZARD_CLASSES: readonly HazardClass[] = [
  { label: 'H1', depth: 0.3, speed: 2, dv: 0.3, meaning: 'Generally safe for people, vehicles and buildings', short: 'Generally safe', rgb: hex(0x9fd48a) },
  { label: 'H2', depth: 0.5, speed: 2, dv: 0.6, meaning: 'Unsafe for small vehicles', short: 'Unsafe: small vehicles', rgb: hex(0xf5e663) },
  { label: 'H3', depth: 1.2, speed: 2, dv: 0.6, meaning: 'Unsafe for vehicles, children and the elderly', short: 'Unsafe: vehicles, children', rgb: hex(0xf8b03c) },
  { label: 'H4', depth: 2, speed: 2, dv: 1, meaning: 'Unsafe for vehicles and people', short: 'Unsafe: vehicles, people', rgb: hex(0xec6a2c) },
  { label: 'H5', depth: 4, speed: 4, dv: 4, meaning: 'Unsafe for vehicles and people; all buildings vulnerable to structural damage', short: 'Buildings damaged', rgb: hex(0xc62828) },
  { label: 'H6', depth: Infinity, speed: Infinity, dv: Infinity, meaning: 'Unsafe for vehicles and people; all building types vulnerable to failure', short: 'Buildings may fail', rgb: hex(0x6a1b6e) },
];

/**
 * Water shallower than this (m) is not classified (nor counted as arrived):
 * rain-on-grid wets every cell with a film whose speeds are numerical noise.
 */
export const FLOODED_DEPTH_M = 0.05;

/** The class index (0 = H1 ... 5 = H6) of water `depth` m deep moving at `speed` m/s; -1 below {@link FLOODED_DEPTH_M}. */
export function hazardClass(depth: number, speed: number): number {
  if (!(depth >= FLOODED_DEPTH_M)) return -1;
  const dv = depth * speed;
  for (let k = 0; k < HAZARD_CLASSES.length - 1; k++) {
    const c = HAZARD_CLASSES[k]!;
    if (depth <= c.depth && speed <= c.speed && dv <= c.dv) return k;
  }
  return HAZARD_CLASSES.length - 1;
}

/**
 * The classes as an overlay ramp: one stop per class over values 0..5, so a
 * cell holding its class index takes exactly its class's colour (the
 * overlay interpolates between stops, and integers land on them).
 */
export const HAZARD_RAMP: readonly RampStop[] = HAZARD_CLASSES.map((c, k) => ({ at: k / (HAZARD_CLASSES.length - 1), rgb: c.rgb }));
