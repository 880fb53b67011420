/** Entry of the `terra` command. Subcommands live one per file beside it. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import { runImport, parseCellSize, parseMethod, parseUnitsOption } from './import';
import { runInfo } from './info';
import { runInspect } from './inspect';
import { runServe } from './serve';
import { runSimulate } from './simulate';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be an integer 0-65535');
  return port;
}

const program = new Command('terra')
  .description('Terra Twin: flood and weather scenarios over real terrain, offline')
  .version(pkg.version, '-v, --version')
  .showHelpAfterError();

program
  .command('info')
  .description('show versions and compute backends (WebGPU adapter, tfjs backend, CPU threads)')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => runInfo(pkg.version, opts.json === true));

program
  .command('serve')
  .description('serve the app and its engine to a browser on this machine')
  .option('-p, --port <n>', 'port (0 picks a free one)', portNumber, 8420)
  .option('--host <address>', 'address to bind', '127.0.0.1')
  .option('--lan', 'allow binding beyond loopback (LAN access with the token)', false)
  .option('--token <token>', 'use this access token instead of a random one')
  .action((opts: { port: number; host: string; lan: boolean; token?: string }) => runServe(opts));

program
  .command('simulate')
  .description('run a flood scenario (SCENARIO.json, see DESIGN.md) and write its outputs')
  .argument('<scenario>', 'scenario JSON file')
  .requiredOption('-o, --out <dir>', 'output folder (created if missing)')
  .option('-t, --threads <n>', 'CPU worker threads', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
    return n;
  })
  .option('-q, --quiet', 'no progress output')
  .action((scenario: string, opts: { out: string; threads?: number; quiet?: boolean }) => runSimulate(scenario, opts.out, opts));

program
  .command('inspect')
  .description('show what a data file holds: format, grid, CRS, units, range, nodata share, time axis, warnings')
  .argument('<files...>', 'GeoTIFF, NetCDF-3, .npz/.npy, ESRI ASCII, JSON grid or CSV files')
  .option('--variable <name>', 'NetCDF variable or .npz array to read')
  .option('--units <units>', 'units where the file has none: "kn" for all, or "p=Pa,t=K"', parseUnitsOption)
  .option('--time-zone <zone>', 'zone of CSV timestamps without an offset (UTC, +01:00, Europe/Dublin)')
  .option('--json', 'print JSON')
  .action((files: string[], opts: { variable?: string; units?: Record<string, string>; timeZone?: string; json?: boolean }) => runInspect(files, opts));

program
  .command('import')
  .description('import data into a project: clean, convert to project units on a metric grid, write GeoTIFF/Zarr/CSV + JSON sidecars')
  .argument('<files...>', 'data files (a station coordinate CSV attaches to the station series imported with it)')
  .requiredOption('-p, --project <dir>', 'project folder (created if missing); data go to DIR/data, the manifest to DIR/terra-project.json')
  .option('--crs <crs>', 'target CRS of grids, e.g. EPSG:32613 (default: UTM zone of the grid centre)')
  .option('--cell-size <metres>', 'target cell size in metres (default: about the source cell size)', parseCellSize)
  .option('--method <method>', 'resampling: nearest or bilinear', parseMethod, 'bilinear')
  .option('--units <units>', 'units where the file has none: "kn" for all, or "p=Pa,t=K"', parseUnitsOption)
  .option('--variable <name>', 'NetCDF variable or .npz array to read')
  .option('--time-zone <zone>', 'zone of CSV timestamps without an offset')
  .option('--time-units <units>', 'CF units of a NetCDF time axis that has none, e.g. "hours since 1996-01-05"')
  .option('--despike', 'replace detected spikes by filled values (default: report them only)')
  .option('--fill <method>', 'raster hole filling: laplace, idw or none', (v) => {
    if (!['laplace', 'idw', 'none'].includes(v)) throw new InvalidArgumentError('must be laplace, idw or none');
    return v;
  }, 'laplace')
  .option('-q, --quiet', 'no progress output')
  .action((files: string[], opts: Parameters<typeof runImport>[1]) => runImport(files, opts, pkg.version));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const message = err instanceof TerraError ? `${err.code}: ${err.message}` : (err as Error).message;
  console.error(`terra: ${message}`);
  process.exitCode = 1;
}
