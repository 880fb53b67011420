// What the atmosphere layers are fed: rain density, a flood run's rain, fog thickness, the sky's palette, the site's place and clock.
import { describe, expect, it } from 'vitest';
import { RAIN_FULL_MM_H, floodRainRate, rainDensities, rainDensity } from '../../../renderer/src/scene/rain-rate';
import { HAZE, THICK_FOG, fogThickness, mixHex, skyPalette } from '../../../renderer/src/scene/sky-palette';
import { formatSiteTime, siteLocalToEpoch, siteLonLat, solarZoneHours } from '../../../renderer/src/scene/site-location';

const luma = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * (n >> 16) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
};

describe('rain density', () => {
  it('shows drops in proportion to the rain rate, all of them from the cap on, none where it is dry', () => {
    expect(rainDensity(0)).toBe(0);
    expect(rainDensity(-3)).toBe(0);
    expect(rainDensity(NaN)).toBe(0);
    expect(rainDensity(RAIN_FULL_MM_H / 4)).toBeCloseTo(0.25, 12);
    expect(rainDensity(2 * 7.5) / rainDensity(7.5)).toBeCloseTo(2, 12);
    expect(rainDensity(RAIN_FULL_MM_H)).toBe(1);
    expect(rainDensity(10 * RAIN_FULL_MM_H)).toBe(1);
    expect(rainDensity(0.5)).toBeGreaterThan(0);
  });

  it('maps a field cell by cell and refuses a field of another grid', () => {
    const out = rainDensities(Float32Array.from([0, NaN, RAIN_FULL_MM_H / 2, 1000]), new Float32Array(4));
    expect(Array.from(out)).toEqual([0, 0, 0.5, 1]);
    expect(() => rainDensities(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
  });

  it("rains at a flood run's intensity from t = 0 until its rain ends, then not", () => {
    const rain = { intensityMmPerH: 80, durationS: 1200 };
    expect(floodRainRate(rain, 0)).toBe(80);
    expect(floodRainRate(rain, 1199)).toBe(80);
    expect(floodRainRate(rain, 1200)).toBe(0);
    expect(floodRainRate(rain, 2400)).toBe(0);
    expect(floodRainRate(null, 10)).toBe(0);
  });
});

describe('fog and sky', () => {
  it('is a light haze in dry air or without humidity, thickening to fog at saturation or full cloud at the ground', () => {
    expect(fogThickness(null, null)).toBe(HAZE);
    expect(fogThickness(0.4, 0)).toBe(HAZE);
    expect(fogThickness(0.8, null)).toBeGreaterThan(HAZE);
    expect(fogThickness(0.9, null)).toBeGreaterThan(fogThickness(0.8, null));
    expect(fogThickness(1, null)).toBeCloseTo(THICK_FOG, 12);
    expect(fogThickness(0.5, 1)).toBeCloseTo(THICK_FOG, 12);
  });

  it('is brighter at noon than at sunset, and at night still lights the terrain', () => {
    const noon = skyPalette(60);
    const sunset = skyPalette(1);
    const night = skyPalette(-30);
    expect(luma(noon.zenith)).toBeGreaterThan(luma(sunset.zenith));
    expect(luma(sunset.zenith)).toBeGreaterThan(luma(night.zenith));
    expect(noon.sunLight).toBeGreaterThan(sunset.sunLight);
    expect(night.sunLight).toBeGreaterThanOrEqual(0.5);
    expect(night.glow).toBe(0);
    // Sunset reddens the horizon: more red than blue there, unlike at noon.
    const rgb = (hex: string) => [16, 8, 0].map((s) => (parseInt(hex.slice(1), 16) >> s) & 255);
    expect(rgb(sunset.horizon)[0]! - rgb(sunset.horizon)[2]!).toBeGreaterThan(40);
    expect(rgb(noon.horizon)[0]!).toBeLessThan(rgb(noon.horizon)[2]!);
    expect(mixHex('#000000', '#ffffff', 0.5)).toBe('#808080');
  });
});

describe('site place and clock', () => {
  it('finds the centre of each sample site from its georeference (geographic, UTM, Web Mercator)', () => {
    const jacksboro = siteLonLat({ nx: 403, ny: 344, x0: -84.41375, y0: 36.73291666666667, dx: 1 / 1200, dy: 1 / 1200, crs: 'EPSG:4326' })!;
    expect(jacksboro.lon).toBeCloseTo(-84.2458, 3);
    expect(jacksboro.lat).toBeCloseTo(36.5896, 3);
    // Olinda, Pernambuco: 8.0 S, 34.86 W.
    const olinda = { nx: 111, ny: 111, x0: 288776.25, y0: 9120760.75, dx: 89.994, dy: 89.994, crs: 'UTM zone 25S' };
    const o = siteLonLat(olinda)!;
    expect(Math.abs(o.lon - -34.86)).toBeLessThan(0.05);
    expect(Math.abs(o.lat - -8.0)).toBeLessThan(0.05);
    expect(siteLonLat({ ...olinda, crs: 'EPSG:32725' })).toEqual(o);
    // Salish Sea: 48-50 N, 126-122 W on a Mercator grid.
    const salish = siteLonLat({ nx: 120, ny: 91, x0: -14026252.913791724, y0: 6445391.947430903, dx: 3710.685853794769, dy: 3710.6462358411713, crs: 'EPSG:3857' })!;
    expect(salish.lon).toBeCloseTo(-124, 1);
    expect(salish.lat).toBeCloseTo(49, 1);
    expect(siteLonLat({ ...olinda, crs: 'unknown' })).toBeNull();
  });

  it("reads and writes the site's clock in its solar time zone", () => {
    expect(solarZoneHours(-84.2)).toBe(-6);
    expect(solarZoneHours(-34.9)).toBe(-2);
    expect(solarZoneHours(179.9)).toBe(12);
    expect(siteLocalToEpoch('2024-06-21T12:00', -84.2)).toBe(Date.UTC(2024, 5, 21, 18, 0));
    expect(formatSiteTime(Date.UTC(2024, 5, 21, 18, 0), -84.2)).toBe('2024-06-21 12:00');
    expect(siteLocalToEpoch('noon', 0)).toBeNaN();
  });
});
