// Property-based fuzzing of every reader (fast-check): random bytes, truncations,
// bit flips, overwritten and deleted chunks of the real files in ../shared/data
// must either read (into a consistent result) or fail with a TerraError; never
// another exception type, and every case must finish within a time bound.
//
// A reader that looped forever would block the worker, which vitest's test
// timeout then reports as a failure; the per-case bound below catches slow
// paths (quadratic loops, huge allocations) long before that.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { TerraError } from '../../../src/api/errors';
import { formatEsriAscii, parseEsriAscii } from '../../../src/io/esri-ascii';
import { parseGeoTiff } from '../../../src/io/geotiff';
import { parseNpy } from '../../../src/io/npy';
import { parseNpz } from '../../../src/io/npz';
import { parseNpzDem } from '../../../src/io/npz-dem';
import { parseNetcdfGrid } from '../../../src/io/netcdf';
import { parseStationCsv, parseStationLocations } from '../../../src/io/station-csv';
import { formatSeries, parseSeries } from '../../../src/io/csv-series';
import { parseGridJson } from '../../../src/io/grid-json';
import { parseDataset } from '../../../src/io/open';

const shared = (p: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url))));

/** Longest one case may take (ms): the slowest legitimate parse here is ~100 ms. */
const CASE_LIMIT_MS = 3000;
const RUNS = Number(process.env.TERRA_FUZZ_RUNS ?? 120);
// Fixed by default so CI is repeatable; set TERRA_FUZZ_SEED to explore further.
const SEED = Number(process.env.TERRA_FUZZ_SEED ?? 20240611);

/** Real inputs, and ones derived from real data where the shared folder has no file of that format. */
const olinda = shared('terrain/olinda_dem_utm25s.tif');
const jacksboro = shared('terrain/jacksboro_fault_dem.npz');
const topobathy = shared('terrain/topobathy.npz');
const pstorm = shared('weather/storm_jan1996/Pstorm.cdf');
const florence = shared('rain/florence_stageiv_hourly.nc');
const seattle = shared('weather/seattle-weather.csv');
const ireland = shared('weather/wind_ireland.csv');
const irelandHead = ireland.subarray(0, ireland.lastIndexOf(10, 40_000) + 1);
const locations = shared('weather/wind_ireland_loc.csv');
const volcano = shared('terrain/volcano.json');
const topoNpy = unzipSync(topobathy)['topo.npy']!;
const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
// The real Olinda DEM written as ESRI ASCII (the shared folder has no .asc file).
const olindaAsc = new TextEncoder().encode(formatEsriAscii(await parseGeoTiff(olinda, 'olinda.tif')));
// Seattle's daily precipitation as a scenario rain series (time_s, mm/h): real values, the contract's layout.
const seattleRain = new TextEncoder().encode(
  formatSeries({
    valueName: 'intensity_mm_per_h',
    t: Float64Array.from({ length: 300 }, (_, i) => i * 86400),
    v: Float64Array.from(
      text(seattle)
        .split('\n')
        .slice(1, 301)
        .map((l) => Number(l.split(',')[1]) / 24),
    ),
  }),
);

/** A mutation of a seed: what a damaged download or a wrong file looks like. */
function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = seed.length;
  const position = fc.oneof(fc.integer({ min: 0, max: Math.min(n, 1024) - 1 }), fc.integer({ min: 0, max: n - 1 }));
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.integer({ min: 0, max: n }).map((k) => seed.slice(0, k)),
    fc.array(fc.tuple(position, fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 12 }).map((flips) => {
      const b = seed.slice();
      for (const [p, bit] of flips) b[p] = b[p]! ^ (1 << bit);
      return b;
    }),
    fc.tuple(position, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([p, junk]) => {
      const b = seed.slice();
      b.set(junk.subarray(0, Math.max(0, n - p)), p);
      return b;
    }),
    fc.tuple(position, fc.integer({ min: 1, max: 256 })).map(([p, k]) => {
      const removed = Math.min(k, n - p);
      const b = new Uint8Array(n - removed);
      b.set(seed.subarray(0, p));
      b.set(seed.subarray(p + removed), p);
      return b;
    }),
  );
}

interface Outcome {
  ok: boolean;
  error?: unknown;
  ms: number;
}

async function attempt(read: (bytes: Uint8Array) => unknown, bytes: Uint8Array): Promise<Outcome> {
  const t0 = performance.now();
  try {
    await read(bytes);
    return { ok: true, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

function check(o: Outcome): void {
  if (!o.ok) {
    if (!(o.error instanceof TerraError)) throw new Error(`not a TerraError: ${String((o.error as Error)?.stack ?? o.error)}`);
    expect(['INVALID_DATA', 'INVALID_PARAMS']).toContain(o.error.code);
    expect(o.error.details?.file, o.error.message).toBeTruthy();
  }
  expect(o.ms).toBeLessThan(CASE_LIMIT_MS);
}

const grid = (r: { data: Float32Array; georef: { nx: number; ny: number } }) => expect(r.data.length).toBe(r.georef.nx * r.georef.ny);

const READERS: Array<[string, Uint8Array, (b: Uint8Array) => unknown]> = [
  ['GeoTIFF (olinda_dem_utm25s.tif)', olinda, async (b) => grid(await parseGeoTiff(b, 'f.tif'))],
  ['ESRI ASCII (grid written from real layout)', olindaAsc, (b) => grid(parseEsriAscii(text(b), 'f.asc'))],
  ['npy (topobathy topo.npy)', topoNpy, (b) => parseNpy(b, 'f.npy', 1 << 24)],
  ['npz (jacksboro_fault_dem.npz)', jacksboro, (b) => grid(parseNpzDem(b, 'f.npz', 'elevation'))],
  ['npz (topobathy.npz)', topobathy, (b) => parseNpz(b, 'f.npz')],
  [
    'NetCDF (Pstorm.cdf)',
    pstorm,
    (b) => {
      const g = parseNetcdfGrid(b, 'f.nc');
      for (const f of g.frames) expect(f.length).toBe(g.nx * g.ny);
    },
  ],
  ['NetCDF (florence_stageiv_hourly.nc)', florence, (b) => parseNetcdfGrid(b, 'f.nc', { frames: [0] })],
  [
    'station CSV (seattle-weather.csv)',
    seattle,
    (b) => {
      const s = parseStationCsv(text(b), 'f.csv');
      for (const v of s.variables) expect(v.values.length).toBe(s.times.length);
      for (let i = 1; i < s.times.length; i++) expect(s.times[i]!).toBeGreaterThan(s.times[i - 1]!);
    },
  ],
  ['station CSV (wind_ireland.csv, first 40 kB)', irelandHead, (b) => parseStationCsv(text(b), 'f.csv', { units: { '*': 'kn' } })],
  ['station coordinates (wind_ireland_loc.csv)', locations, (b) => parseStationLocations(text(b), 'f.csv')],
  ['series CSV (Seattle rain as time_s,intensity_mm_per_h)', seattleRain, (b) => parseSeries(text(b), 'f.csv')],
  ['JSON grid (volcano.json)', volcano, (b) => grid(parseGridJson(text(b), 'f.json'))],
];

describe('fuzzing every reader with damaged real files', () => {
  for (const [name, seed, read] of READERS) {
    it(name, async () => {
      // The undamaged seed reads.
      expect((await attempt(read, seed)).ok).toBe(true);
      await fc.assert(
        fc.asyncProperty(mutated(seed), async (bytes) => check(await attempt(read, bytes))),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }

  it('format detection + reading (parseDataset) over all seeds under any name', async () => {
    const seeds = [olinda, jacksboro, pstorm, seattle, locations, volcano, olindaAsc, topoNpy];
    const names = ['f.tif', 'f.nc', 'f.npz', 'f.npy', 'f.csv', 'f.asc', 'f.json', 'f.bin'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: seeds.length - 1 }).chain((i) => mutated(seeds[i]!)),
        fc.constantFrom(...names),
        async (bytes, name) => check(await attempt((b) => parseDataset(b, `/tmp/${name}`), bytes)),
      ),
      { numRuns: RUNS * 2, seed: SEED + 1 },
    );
  });
});
