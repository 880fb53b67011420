// The sun for the sky and the light: NOAA's solar position against published and hand-checked values.
import { describe, expect, it } from 'vitest';
import { sunPosition } from '../../../renderer/src/scene/sun-position';

const MINUTE = 60_000;

/** The highest the sun gets on a UTC day at a place, and when, by scanning minute by minute. */
function solarNoon(day: string, lat: number, lon: number): { elevation: number; azimuth: number; at: number } {
  const start = Date.parse(`${day}T00:00:00Z`);
  let best = { elevation: -Infinity, azimuth: 0, at: start };
  for (let t = start; t < start + 1440 * MINUTE; t += MINUTE) {
    const s = sunPosition(t, lat, lon);
    if (s.elevation > best.elevation) best = { elevation: s.elevation, azimuth: s.azimuth, at: t };
  }
  return best;
}

describe('sun position (NOAA solar calculator)', () => {
  it("matches NREL's SPA reference case (Golden, Colorado, 2003-10-17 12:30:30 MST) within 0.03 degrees", () => {
    // Reda & Andreas (2004), table A5.1: topocentric zenith 50.11162 deg, azimuth 194.34024 deg.
    const s = sunPosition(Date.parse('2003-10-17T19:30:30Z'), 39.742476, -105.1786);
    expect(s.elevation).toBeCloseTo(90 - 50.11162, 1);
    expect(Math.abs(s.elevation - (90 - 50.11162))).toBeLessThan(0.03);
    expect(Math.abs(s.azimuth - 194.34024)).toBeLessThan(0.03);
  });

  it('at the March equinox stands 90 degrees - |latitude| at solar noon (within 0.5), due south or north', () => {
    for (const lat of [0.5, 36.6, 45, -8, -33.9, 60]) {
      const noon = solarNoon('2024-03-20', lat, 0);
      expect(Math.abs(noon.elevation - (90 - Math.abs(lat))), `latitude ${lat}`).toBeLessThan(0.5);
      // (Near the zenith a minute's step swings the azimuth: checked away from it.)
      if (Math.abs(lat) > 5) expect(Math.abs(((noon.azimuth - (lat > 0 ? 180 : 0) + 540) % 360) - 180), `latitude ${lat}`).toBeLessThan(2);
    }
    // Greenwich: solar noon that day is 12:07 UTC (the equation of time is -7.5 minutes).
    const greenwich = solarNoon('2024-03-20', 51.4769, 0);
    expect(Math.abs(greenwich.at - Date.parse('2024-03-20T12:07:30Z'))).toBeLessThanOrEqual(2 * MINUTE);
  });

  it('at the June solstice reaches 90 - latitude + 23.44 at Greenwich, and stands overhead on the Tropic of Cancer', () => {
    const greenwich = solarNoon('2024-06-20', 51.4769, -0.0005);
    expect(Math.abs(greenwich.elevation - (90 - 51.4769 + 23.44))).toBeLessThan(0.05);
    expect(sunPosition(greenwich.at, 51.4769, 0).declination).toBeCloseTo(23.44, 1);
    expect(solarNoon('2024-06-20', 23.44, 0).elevation).toBeGreaterThan(89.9);
  });

  it('is below the horizon at night, rises in the east and sets in the west; longitude shifts the clock 4 minutes a degree', () => {
    expect(sunPosition(Date.parse('2024-12-21T00:00:00Z'), 51.4769, 0).elevation).toBeLessThan(-60);
    const morning = sunPosition(Date.parse('2024-03-20T06:30:00Z'), 0, 0);
    expect(morning.elevation).toBeGreaterThan(0);
    expect(morning.elevation).toBeLessThan(15);
    expect(morning.azimuth).toBeCloseTo(90, -1);
    const evening = sunPosition(Date.parse('2024-03-20T17:45:00Z'), 0, 0);
    expect(evening.azimuth).toBeCloseTo(270, -1);
    // 15 degrees west: the same sun one hour later.
    const a = sunPosition(Date.parse('2024-07-01T09:00:00Z'), 40, 0);
    const b = sunPosition(Date.parse('2024-07-01T10:00:00Z'), 40, -15);
    expect(Math.abs(a.elevation - b.elevation)).toBeLessThan(0.02);
    expect(Math.abs(a.azimuth - b.azimuth)).toBeLessThan(0.05);
  });
});
