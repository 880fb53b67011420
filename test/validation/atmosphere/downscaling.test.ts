// Downscaling to terrain against hand computations: lapse-rate temperature,
// the hypsometric pressure (and the standard atmosphere's closed form), and
// humidity carried up a hill with its mixing ratio conserved until it nears
// saturation. Every expected number below is worked out in the comment above it.
import { describe, expect, it } from 'vitest';
import { GRAVITY, R_DRY, STANDARD_LAPSE_RATE } from '../../../src/physics/atmosphere/constants';
import { downscaleToTerrain } from '../../../src/physics/atmosphere/downscale';
import { cloudFraction, mixingRatio, saturationRatio, saturationVapourPressure, virtualTemperature } from '../../../src/physics/atmosphere/humidity';
import { pressureAt } from '../../../src/physics/atmosphere/hypsometric';
import { lapseRateTemperature, temperatureAt } from '../../../src/physics/atmosphere/lapse-rate';

describe('temperature by lapse rate', () => {
  it('matches hand values', () => {
    // 15 degC at sea level, 6.5 K/km: 1000 m -> 15 - 6.5 = 8.5 degC;
    // Jacksboro's highest cell, 1076 m -> 15 - 6.5 * 1.076 = 8.006 degC.
    expect(temperatureAt(15, 0, 1000)).toBeCloseTo(8.5, 12);
    expect(temperatureAt(15, 0, 1076)).toBeCloseTo(8.006, 12);
    // A dry-adiabatic 9.8 K/km from 20 degC at 300 m to 800 m: 20 - 9.8 * 0.5 = 15.1 degC.
    expect(temperatureAt(20, 300, 800, 0.0098)).toBeCloseTo(15.1, 12);
    // An inversion, -3 K/km, from 2 degC at 500 m down to a 250 m valley floor: 2 - 0.75 = 1.25 degC.
    expect(temperatureAt(2, 500, 250, -0.003)).toBeCloseTo(1.25, 12);
  });

  it('applies per cell with a reference field', () => {
    const z = Float32Array.from([0, 500, 1000, 236]);
    const t = lapseRateTemperature(Float32Array.from([288.15, 288.15, 280, 280]), 100, z);
    // 288.15 + 0.65 = 288.8; 288.15 - 2.6 = 285.55; 280 - 5.85 = 274.15; 280 - 0.884 = 279.116 (K)
    expect(Array.from(t)).toEqual(Array.from(Float32Array.from([288.8, 285.55, 274.15, 279.116])));
  });
});

describe('pressure by the hypsometric equation', () => {
  it('matches a hand computation for dry air', () => {
    // 101325 Pa, 288.15 K at sea level; 1000 m up at 6.5 K/km: T = 281.65 K.
    // Mean layer T = (288.15 + 281.65) / 2 = 284.9 K; scale height R_d T / g =
    // 287.04 * 284.9 / 9.80665 = 8339.00 m; p = 101325 exp(-1000 / 8339.00)
    // = 101325 * 0.886984 = 89874.55 Pa.
    const p = pressureAt(101325, 0, 1000, 288.15, 281.65);
    expect(p).toBeCloseTo(89874.55, 1);
  });

  it('stays within 0.5 Pa of the standard atmosphere at 1 km and 11 Pa at 3 km', () => {
    // ISA: p = p0 (T / T0)^(g / (R_d gamma)); at 1 km 89874.08 Pa, at 3 km 70107.37 Pa.
    const isa = (z: number) => 101325 * ((288.15 - STANDARD_LAPSE_RATE * z) / 288.15) ** (GRAVITY / (R_DRY * STANDARD_LAPSE_RATE));
    const ours = (z: number) => pressureAt(101325, 0, z, 288.15, 288.15 - STANDARD_LAPSE_RATE * z);
    expect(isa(1000)).toBeCloseTo(89874.08, 1);
    expect(Math.abs(ours(1000) - isa(1000))).toBeLessThan(0.5);
    expect(Math.abs(ours(3000) - isa(3000))).toBeLessThan(11);
    console.log(`[hypsometric] 1 km: ${ours(1000).toFixed(2)} Pa vs ISA ${isa(1000).toFixed(2)}; 3 km: ${ours(3000).toFixed(2)} vs ${isa(3000).toFixed(2)}`);
  });

  it('is exact both ways: down then up returns the start', () => {
    const down = pressureAt(85000, 1500, 200, 275, 283.45);
    expect(pressureAt(down, 200, 1500, 283.45, 275)).toBeCloseTo(85000, 8);
  });
});

describe('humidity carried to another height', () => {
  it('Bolton saturation pressure is within 0.2 % of the Smithsonian (Goff-Gratch) table', () => {
    // es over water (hPa): -10 degC 2.8627, 0 degC 6.1078, 10 degC 12.272, 20 degC 23.373, 30 degC 42.430.
    for (const [c, hPa] of [[-10, 2.8627], [0, 6.1078], [10, 12.272], [20, 23.373], [30, 42.43]] as const) {
      expect(Math.abs(saturationVapourPressure(273.15 + c) / (hPa * 100) - 1)).toBeLessThan(0.002);
    }
  });

  it('matches a hand computation lifting 70 % air by 1000 m', () => {
    // At sea level: 15 degC, 101325 Pa, RH 0.7.
    // es(15 degC) = 611.2 exp(17.67 * 15 / 258.5) = 1704.05 Pa; e = 0.7 es = 1192.83 Pa;
    // w = 0.62197 e / (p - e) = 0.0074093 kg/kg.
    const es15 = saturationVapourPressure(288.15);
    expect(es15).toBeCloseTo(1704.05, 1);
    const w = mixingRatio(0.7 * es15, 101325);
    expect(w).toBeCloseTo(0.0074093, 6);
    // Tv = T (1 + w / eps) / (1 + w): 289.438 K at the bottom, 282.909 K at the top (T = 281.65 K).
    expect(virtualTemperature(288.15, w)).toBeCloseTo(289.438, 3);
    // p = 101325 exp(-9.80665 * 1000 / (287.04 * (289.438 + 282.909) / 2)) = 89922.5 Pa
    // (48 Pa above the dry answer: moist air is lighter).
    const [out] = [downscaleToTerrain({ elevation: 0, temperature: 288.15, pressure: 101325, relativeHumidity: 0.7 }, Float32Array.of(1000))];
    expect(out.temperature[0]).toBeCloseTo(281.65, 4);
    expect(out.pressure![0]).toBeCloseTo(89922.5, 0);
    // e = w p / (eps + w) = 1058.60 Pa; es(8.5 degC) = 1109.25 Pa; RH = 0.95434.
    expect(saturationRatio(w, 281.65, 89922.52)).toBeCloseTo(0.95434, 4);
    expect(out.relativeHumidity![0]).toBeCloseTo(0.95434, 4);
    // Cloud (Sundqvist, critical 0.8): 1 - sqrt((1 - 0.95434) / 0.2) = 0.5222.
    expect(out.cloud![0]).toBeCloseTo(0.5222, 3);
  });

  it('dries air carried down a slope and saturates air carried high', () => {
    const z = Float32Array.of(-500, 0, 500, 1000, 2000, 3000);
    const out = downscaleToTerrain({ elevation: 0, temperature: 288.15, pressure: 101325, relativeHumidity: 0.7 }, z);
    const rh = Array.from(out.relativeHumidity!);
    for (let i = 1; i < rh.length; i++) expect(rh[i]!).toBeGreaterThanOrEqual(rh[i - 1]!);
    expect(rh[0]).toBeLessThan(0.7);
    expect(rh[1]).toBeCloseTo(0.7, 6);
    expect(rh[5]).toBe(1); // supersaturated: held at 1, cloud complete
    const cloud = Array.from(out.cloud!);
    for (let i = 1; i < cloud.length; i++) expect(cloud[i]!).toBeGreaterThanOrEqual(cloud[i - 1]!);
    expect(cloud.slice(0, 2)).toEqual([0, 0]); // RH 0.7 and below: under the critical 0.8
    expect(cloud.slice(4)).toEqual([1, 1]);
    expect(cloudFraction(0.8)).toBe(0);
    expect(cloudFraction(0.99)).toBeGreaterThan(0.7);
  });
});
