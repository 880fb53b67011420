// Benchmark: import the 2.9 M-cell Trinidad DEM (NetCDF-3, feet, geographic)
// into a metric project grid (UTM 13N, metres, 90 m cells), timed against a
// plain read of the same bytes measured in the same run.
//
//   npx tsx test/bench/import.bench.ts [runs]
//
// Prints per-stage times (median of `runs`, default 5), the ratio to the plain
// read, peak memory (this process's resident high-water mark) and the memory
// held after the import (memoryUsage()). Also times the full `importFiles`
// (cleaning, statistics, GeoTIFF + sidecar + manifest writes) once.
// Never fails on timings.
import { readFileSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertRasterUnits, rasterStats } from '../../src/core/raster';
import { reproject } from '../../src/core/reproject';
import { importFiles } from '../../src/data/import';
import { parseNetcdfGrid } from '../../src/io/netcdf';

const FILE = fileURLToPath(new URL('../../../shared/data/terrain/trinidad_colorado_3arcsec_feet.nc', import.meta.url));
const runs = Math.max(1, Number(process.argv[2] ?? 5));

/**
 * Resident high-water mark in bytes. Linux: VmHWM of this address space
 * (getrusage's maxRSS carries over the parent's peak across fork + exec).
 */
function peakRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ms = (t: number) => `${t.toFixed(1)} ms`;

async function time<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await f();
  return [out, performance.now() - t0];
}

const rssBefore = peakRss();
const plain: number[] = [];
const stages = { read: [] as number[], parse: [] as number[], convert: [] as number[], reproject: [] as number[], total: [] as number[] };
let cells = 0;
let target = '';

// Warm up: the first reads of a file in a process run 3-5x slower (page cache, buffer pool, JIT).
for (let j = 0; j < 10; j++) await readFile(FILE);
for (let k = 0; k < runs; k++) {
  // Plain read of the bytes: the floor any importer pays (median of 5, file in the page cache as for the import).
  const reads: number[] = [];
  for (let j = 0; j < 5; j++) reads.push((await time(() => readFile(FILE)))[1]);
  plain.push(median(reads));

  const t0 = performance.now();
  const [bytes, tRead] = await time(() => readFile(FILE));
  const [grid, tParse] = await time(() => parseNetcdfGrid(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'trinidad_colorado_3arcsec_feet.nc'));
  if (grid.geometry.kind !== 'regular') throw new Error('expected a regular grid');
  const src = { data: grid.frames[0]!, units: grid.units, georef: grid.geometry.georef };
  const [metres, tConvert] = await time(() => convertRasterUnits(src, 'm'));
  const [utm, tReproject] = await time(() => reproject(metres, { cellSize: 90, method: 'bilinear' }));
  const tTotal = performance.now() - t0;
  stages.read.push(tRead);
  stages.parse.push(tParse);
  stages.convert.push(tConvert);
  stages.reproject.push(tReproject);
  stages.total.push(tTotal);
  cells = utm.data.length;
  const s = rasterStats(utm.data);
  target = `${utm.georef.nx} x ${utm.georef.ny} cells of ${utm.georef.dx} m, ${utm.georef.crs}, ${s.min.toFixed(1)}..${s.max.toFixed(1)} m`;
}
const heldAfter = process.memoryUsage();
const rssPipeline = peakRss();

const project = await mkdtemp(join(tmpdir(), 'terra-bench-'));
const [, tImport] = await time(() => importFiles([FILE], project, { cellSize: 90 }));
const rssImport = peakRss();
await rm(project, { recursive: true, force: true });

const plainMs = median(plain);
const totalMs = median(stages.total);
const bytes = (await readFile(FILE)).length;
console.log(`Trinidad import benchmark (${runs} runs, medians) on Node ${process.versions.node}, ${process.platform}-${process.arch}`);
console.log(`  source        ${FILE.split('/').pop()}: ${mib(bytes)}, 2401 x 1201 = 2.88 M cells, feet, EPSG:4326`);
console.log(`  target        ${target} (${(cells / 1e6).toFixed(2)} M cells)`);
console.log(`  plain read    ${ms(plainMs)} (fs.readFile, ${((bytes / 1024 / 1024 / plainMs) * 1000).toFixed(0)} MiB/s)`);
console.log(`  import        ${ms(totalMs)} = read ${ms(median(stages.read))} + parse ${ms(median(stages.parse))} + ft->m ${ms(median(stages.convert))} + reproject/resample ${ms(median(stages.reproject))}`);
console.log(`  ratio         import / plain read = ${(totalMs / plainMs).toFixed(1)}x`);
console.log(`  full import   ${ms(tImport)} (importFiles: + spike scan, hole fill, stats, GeoTIFF + sidecar + manifest writes) = ${(tImport / plainMs).toFixed(1)}x the plain read`);
console.log(`  peak memory   resident peak ${mib(rssBefore)} at start, ${mib(rssPipeline)} after the pipeline runs, ${mib(rssImport)} after the full import`);
console.log(`  held after    rss ${mib(heldAfter.rss)}, heap ${mib(heldAfter.heapUsed)}, array buffers ${mib(heldAfter.arrayBuffers)}`);
