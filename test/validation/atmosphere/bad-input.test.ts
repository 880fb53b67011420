// Weather scenarios refused before any computation, each with an error that
// names the scenario field and the file: stations off the site, missing
// variables, inconsistent or missing units, a forecast grid that does not
// cover the site or the times, and frames with no data where they are needed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { loadWeatherScenario } from '../../../src/weather/load';
import { irelandSite, JACKSBORO, OLINDA, STORM, STORM_SOURCE, WEATHER, writeScenario } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'terra-weather-bad-'));
const TIMES = { start: '1996-01-06T00:00Z', end: '1996-01-06T12:00Z', interval_s: 21600 };
const STATIONS = { type: 'stations', locations: `${WEATHER}wind_ireland_loc.csv`, series: [{ variable: 'wind_speed', file: `${WEATHER}wind_ireland.csv`, units: 'kn' }] };

beforeAll(async () => {
  await irelandSite(dir);
  // Cut at 6000 km north: Clones (54.18 N, 6005 km), Belmullet and Malin Head fall off the site.
  await irelandSite(dir, 'ireland-south.tif', 6000000);
  // The first 20 days of the real series, with units written into the header.
  const lines = readFileSync(`${WEATHER}wind_ireland.csv`, 'utf8').split('\n').slice(0, 21);
  writeFileSync(join(dir, 'wind-ms.csv'), [lines[0]!.replace(/,([A-Z]{3})/g, ',$1 (m/s)'), ...lines.slice(1)].join('\n'));
  writeFileSync(join(dir, 'wind-extra.csv'), lines.map((l, i) => `${l},${i === 0 ? 'XYZ' : '5'}`).join('\n'));
  writeFileSync(join(dir, 'wind-twice.csv'), lines.map((l, i) => `${l},${i === 0 ? 'Valentia' : '5'}`).join('\n'));
});

async function refused(scenario: Record<string, unknown>): Promise<TerraError> {
  const path = writeScenario(dir, 'bad.json', { name: 'bad', site: { dem: JACKSBORO }, source: STORM_SOURCE, times: TIMES, ...scenario });
  const err = await loadWeatherScenario(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  expect((err as Error).message.startsWith('bad.json: ')).toBe(true);
  return err as TerraError;
}

describe('stations outside the site', () => {
  it('names the station, its coordinates and the site extent', async () => {
    const err = await refused({ site: { dem: 'ireland-south.tif' }, source: STATIONS, times: ['1961-01-01'] });
    expect(err.message).toMatch(/source\.series\.0: station CLO \(Clones, 54\.1833 N, 7\.2333 W\) lies outside the site DEM \(x 380000\.\.720000, y 5730000\.\.6000000 in EPSG:32629, station at 615289\.0, 6005361\.2\)/);
  });
});

describe('missing variables', () => {
  it.each([
    [{ source: { type: 'grid' } }, /source: names no variable/],
    [{ source: { type: 'grid', u: STORM_SOURCE.u } }, /source\.v: wind needs both u and v/],
    [{ source: { type: 'grid', pressure: STORM_SOURCE.pressure } }, /source\.temperature: pressure over terrain needs the temperature/],
    [{ source: { ...STORM_SOURCE, u: { ...STORM_SOURCE.u, variable: 'w' } } }, /source\.u: Ustorm\.cdf: no variable "w" \(gridded ones: u\)/],
    [{ source: { type: 'grid', temperature: STORM_SOURCE.temperature }, downscaling: { relative_humidity: 0.8 } }, /downscaling\.relative_humidity: humidity over terrain needs a pressure field/],
    [{ site: { dem: 'ireland.tif' }, source: { ...STATIONS, series: [{ variable: 'wind_speed', file: join(dir, 'wind-extra.csv'), units: 'kn' }] }, times: ['1961-01-02'] }, /source\.series\.0: wind-extra\.csv: column "XYZ" matches no station code or name in .*wind_ireland_loc\.csv/],
    [{ source: { ...STORM_SOURCE, temperature: { file: `${STORM}nothing.cdf`, units: 'K' } } }, /source\.temperature: .*nothing\.cdf: no such file/],
    [{ site: { dem: 'ireland.tif' }, source: { ...STATIONS, series: [{ variable: 'wind_speed', file: join(dir, 'wind-twice.csv'), units: 'kn' }] }, times: ['1961-01-02'] }, /source\.series\.0: wind-twice\.csv: columns VAL and Valentia are at the same place \(VAL\)/],
  ])('%# %j', async (scenario, message) => {
    expect((await refused(scenario)).message).toMatch(message);
  });
});

describe('inconsistent or missing units', () => {
  it.each([
    [{ source: { ...STORM_SOURCE, temperature: { file: `${STORM}Tstorm.cdf` } } }, /source\.temperature: Tstorm\.cdf: no units for temperature; give source\.temperature\.units \(K, degC, degF\)/],
    [{ source: { ...STORM_SOURCE, u: { file: `${STORM}Ustorm.cdf`, units: 'hPa' } } }, /source\.u: Ustorm\.cdf: u in "hPa" \(source\.u\.units\) is not a u; use m\/s, kn/],
    // Kelvin values read as Celsius: 275 degC is no air temperature.
    [{ source: { ...STORM_SOURCE, temperature: { file: `${STORM}Tstorm.cdf`, units: 'degC' } } }, /source\.temperature: Tstorm\.cdf: frame 1996-01-06T00:00:00Z: value 5\d\d\.\d+ K .* outside the plausible 170\.\.340 K .*check the units/],
    [{ source: { ...STORM_SOURCE, pressure: { file: `${STORM}Pstorm.cdf`, units: 'hPa' } } }, /source\.pressure: .*outside the plausible 30000\.\.110000 Pa/],
    [{ site: { dem: 'ireland.tif' }, source: { ...STATIONS, series: [{ variable: 'wind_speed', file: join(dir, 'wind-ms.csv'), units: 'kn' }] }, times: ['1961-01-02'] }, /source\.series\.0: wind-ms\.csv: inconsistent units: the file says m\/s, source\.series\.0\.units says kn/],
    [{ site: { dem: 'ireland.tif' }, source: { ...STATIONS, series: [{ variable: 'wind_speed', file: `${WEATHER}wind_ireland.csv` }] }, times: ['1961-01-02'] }, /source\.series\.0: wind_ireland\.csv: no units for wind_speed; give source\.series\.0\.units/],
  ])('%# %j', async (scenario, message) => {
    expect((await refused(scenario)).message).toMatch(message);
  });
});

describe('a forecast grid that does not cover the site or the times', () => {
  it('refuses a site outside the grid (Olinda, Brazil, under a North American grid)', async () => {
    const err = await refused({ site: { dem: OLINDA } });
    expect(err.message).toMatch(/source\.temperature: Tstorm\.cdf does not cover the site DEM: 12321 of 12321 cells lie outside it .* in UTM zone 25S\)/);
  });

  it.each([
    [{ times: ['1996-01-21T00:00Z'] }, /times: source\.temperature covers too little: 1996-01-21T00:00:00Z is outside 1996-01-05T00:00:00Z to 1996-01-20T18:00:00Z/],
    // Frame 17 (1996-01-09T06Z) of the temperature file is all fill: needed at 06Z and for 03Z, not at 00Z.
    [{ times: ['1996-01-09T00:00Z', '1996-01-09T03:00Z'] }, /source\.temperature: Tstorm\.cdf: frame 1996-01-09T06:00:00Z: no data over 138632 of 138632 site cells/],
    [{ site: { dem: 'ireland.tif' }, source: STATIONS, times: ['1979-01-01'] }, /times: wind_ireland\.csv covers too little: 1979-01-01T00:00:00Z is outside 1961-01-01T00:00:00Z to 1978-12-31T00:00:00Z/],
    [{ times: { start: '1996-01-06', end: '1996-01-05', interval_s: 3600 } }, /times\.end: is before times\.start/],
    [{ times: ['6 January'] }, /times\.0: "6 January" is not an ISO 8601 time/],
  ])('%# %j', async (scenario, message) => {
    expect((await refused(scenario)).message).toMatch(message);
  });

  it('takes a time that falls on a good frame next to an empty one', async () => {
    const path = writeScenario(dir, 'edge.json', { name: 'edge', site: { dem: JACKSBORO }, source: STORM_SOURCE, times: ['1996-01-09T00:00Z'] });
    await expect(loadWeatherScenario(path)).resolves.toBeDefined();
  });
});

describe('the scenario file itself', () => {
  it.each([
    [{ wind: { lid_depth_m: -5 } }, /bad\.json: wind\.lid_depth_m: a positive number/],
    [{ source: { type: 'radar' } }, /bad\.json: source\.type: /],
    [{ downscaling: { relative_humidity: 1.5 } }, /downscaling\.relative_humidity: a fraction between 0 and 1/],
    [{ output: { points: [{ name: 'far', x: 0, y: 0 }] } }, /output\.points\.0: point \(0, 0\) is outside the site DEM/],
  ])('%# %j', async (scenario, message) => {
    expect((await refused(scenario)).message).toMatch(message);
  });
});
