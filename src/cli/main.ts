/** Entry of the `terra` command. Subcommands live one per file beside it. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { TerraError } from '../api/errors';
import { parseCrop, parseRange, runDataset } from './dataset';
import { parseSplit, runEvaluate } from './evaluate';
import { parseList, parseSplitName, parseVar, parseYears, runForecastEvaluate, runForecastGrid, runForecastStations } from './forecast';
import { runImport, parseCellSize, parseMethod, parseUnitsOption } from './import';
import { runInfo } from './info';
import { runInspect } from './inspect';
import { runForecastMonitor } from './monitor';
import { runForecastImportance } from './importance';
import { parseCell, runExplain } from './explain';
import { runVaeEvaluate, runVaeReconstruct, runVaeSample, runVaeTrain } from './vae';
import { runServe } from './serve';
import { runPredict } from './predict';
import { runSimulate } from './simulate';
import { parsePositive, parsePositiveInt, parseSeed, runTrain } from './train';
import { runWeatherCommand } from './weather';

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
  .command('weather')
  .description('weather fields over a site\'s terrain from gridded files or stations (downscaling, mass-consistent wind)')
  .argument('<scenario>', 'weather scenario JSON file')
  .requiredOption('-o, --out <dir>', 'output folder (created if missing)')
  .option('-q, --quiet', 'no progress output')
  .action((scenario: string, opts: { out: string; quiet?: boolean }) => runWeatherCommand(scenario, opts.out, opts));

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

program
  .command('dataset')
  .description('simulate a family of rain scenarios on a DEM and write a training dataset (resumable)')
  .requiredOption('-o, --out <dir>', 'dataset folder (created if missing; finished scenarios in it are reused)')
  .option('--site <id>', 'built-in sample site (default jacksboro)')
  .option('--dem <file>', 'DEM file instead of a site (.asc, .tif, .npz)')
  .option('-c, --config <file>', 'family config JSON (scenarios, seed, intensity_mm_h, duration_min, tail_min, manning, split, solver, crop)')
  .option('-n, --scenarios <n>', 'number of scenarios (default 24)', parsePositiveInt)
  .option('--seed <n>', 'seed of the scenario sample and split', parseSeed)
  .option('--intensity <min:max>', 'rain intensity range, mm/h (default 15:60)', parseRange)
  .option('--duration <min:max>', 'rain duration range, minutes (default 15:45)', parseRange)
  .option('--tail <min>', 'simulated minutes after the rain (default 15)', parsePositive)
  .option('--manning <n>', "Manning's n (default 0.05)", parsePositive)
  .option('--crop <row,col,rows,cols>', 'use a window of the DEM', parseCrop)
  .option('-t, --threads <n>', 'solver threads', parsePositiveInt)
  .option('-q, --quiet', 'no progress output')
  .action((opts: Parameters<typeof runDataset>[0]) => runDataset(opts, pkg.version));

program
  .command('train')
  .description('train a surrogate (U-Net or MLP) on a dataset; checkpoints every epoch')
  .argument('<dataset>', 'dataset folder (terra dataset)')
  .requiredOption('-o, --out <dir>', 'model folder')
  .option('-c, --config <file>', 'model + training config JSON (see src/learn/models/config.ts)')
  .option('--model <kind>', 'unet or mlp', (v) => {
    if (v !== 'unet' && v !== 'mlp') throw new InvalidArgumentError('must be unet or mlp');
    return v;
  })
  .option('-e, --epochs <n>', 'epochs', parsePositiveInt)
  .option('-b, --batch-size <n>', 'patches per batch', parsePositiveInt)
  .option('--lr <rate>', 'learning rate', parsePositive)
  .option('--seed <n>', 'seed of weights and batches', parseSeed)
  .option('--backend <name>', 'tfjs backend to try first: tensorflow, webgpu, wasm or cpu')
  .option('--resume', 'continue from the checkpoint in the model folder')
  .option('-q, --quiet', 'no progress output')
  .action((dataset: string, opts: Parameters<typeof runTrain>[1]) => runTrain(dataset, opts, pkg.version));

program
  .command('evaluate')
  .description('score a trained surrogate against the flood solver on held-out scenarios')
  .argument('<model>', 'model folder (terra train)')
  .argument('<dataset>', 'dataset folder (terra dataset)')
  .option('--split <name>', 'train, validation or test', parseSplit, 'test')
  .option('--threshold <m>', 'flood depth threshold for CSI/POD/FAR, metres', parsePositive, 0.05)
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--out <file>', 'also write the report as JSON')
  .option('--baseline', "score the model's response surface alone, without the network")
  .option('--json', 'print JSON')
  .action((model: string, dataset: string, opts: Parameters<typeof runEvaluate>[2]) => runEvaluate(model, dataset, opts));

program
  .command('predict')
  .description("predict a rain scenario's max-depth field with a trained surrogate")
  .argument('<model>', 'model folder (terra train)')
  .requiredOption('--intensity <mm_h>', 'rain intensity, mm/h', parsePositive)
  .requiredOption('--duration <min>', 'rain duration, minutes', parsePositive)
  .requiredOption('-o, --out <dir>', 'output folder: max_depth.asc, max_depth.tif, summary.json')
  .option('--verify', 'also run the flood solver on the scenario (as the training storms were run) and score the prediction against it')
  .option('--threads <n>', 'solver threads for --verify (default: all cores, at most 2)', parsePositiveInt)
  .option('--backend <name>', 'tfjs backend to try first')
  .option('-q, --quiet', 'no timing output')
  .action((model: string, opts: Parameters<typeof runPredict>[1]) => runPredict(model, opts));

const forecast = program
  .command('forecast')
  .description('forecasts learned from observations: station series (MLP, GRU, LSTM) and gridded fields (CNN, U-Net), scored against persistence');

const modelKind = (kinds: string[]) => (v: string) => {
  if (!kinds.includes(v)) throw new InvalidArgumentError(`must be ${kinds.join(', ')}`);
  return v;
};

forecast
  .command('stations')
  .description('train a station forecast: the last days at every station -> each station some days on; chronological split by year')
  .argument('[file]', 'station series CSV (one column per station; or data.file in --config)')
  .requiredOption('-o, --out <dir>', 'model folder')
  .option('-c, --config <file>', 'forecast config JSON (see src/learn/observations/config.ts)')
  .option('--model <kind>', 'mlp, gru or lstm', modelKind(['mlp', 'gru', 'lstm']))
  .option('--locations <file>', 'station coordinate CSV (recorded in provenance)')
  .option('--units <units>', 'units of columns whose header names none, e.g. kn')
  .option('--time-zone <zone>', 'zone of timestamps without an offset')
  .option('--inputs <names>', 'input columns, comma-separated (default: every numeric column)', parseList)
  .option('--targets <names>', 'predicted columns (default: the inputs)', parseList)
  .option('--lookback <rows>', 'rows of history per window (default 3)', parsePositiveInt)
  .option('--horizon <rows>', 'rows ahead to predict (default 1)', parsePositiveInt)
  .option('--no-harmonics', 'leave out the day-of-year sine and cosine')
  .option('--train <first:last>', 'training years (with --validation and --test; default by share of the years)', parseYears)
  .option('--validation <first:last>', 'validation years (early stopping)', parseYears)
  .option('--test <first:last>', 'held-out test years', parseYears)
  .option('-e, --epochs <n>', 'epochs at most', parsePositiveInt)
  .option('-b, --batch-size <n>', 'windows per batch', parsePositiveInt)
  .option('--lr <rate>', 'learning rate', parsePositive)
  .option('--seed <n>', 'seed of weights and batches', parseSeed)
  .option('--backend <name>', 'tfjs backend to try first: tensorflow, webgpu, wasm or cpu')
  .option('--force', 'replace a model already in the folder')
  .option('--json', 'print the result as JSON')
  .option('-q, --quiet', 'no progress output')
  .action((file: string | undefined, opts: Parameters<typeof runForecastStations>[1]) => runForecastStations(file, opts, pkg.version));

forecast
  .command('grid')
  .description('train a gridded forecast: the last two frames of every variable -> the targets\' tendency; the last steps held out')
  .option('--var <name=file[:variable]>', 'a variable (repeat): temperature=Tstorm.cdf, pressure=Pstorm.cdf:p; u and v add advection', parseVar)
  .requiredOption('-o, --out <dir>', 'model folder')
  .option('-c, --config <file>', 'forecast config JSON (see src/learn/observations/config.ts)')
  .option('--units <list>', 'units for reports where the files name none: temperature=K,pressure=Pa', parseUnitsOption)
  .option('--model <kind>', 'cnn or unet', modelKind(['cnn', 'unet']))
  .option('--targets <names>', 'predicted variables (default temperature,pressure)', parseList)
  .option('--horizon <steps>', 'time steps ahead (default 1)', parsePositiveInt)
  .option('--validation-steps <n>', 'target steps before the test ones for early stopping (default 8)', parsePositiveInt)
  .option('--test-steps <n>', 'last target steps held out for the test (default 12)', parsePositiveInt)
  .option('-e, --epochs <n>', 'epochs at most', parsePositiveInt)
  .option('-b, --batch-size <n>', 'samples per batch', parsePositiveInt)
  .option('--lr <rate>', 'learning rate', parsePositive)
  .option('--seed <n>', 'seed of weights and batches', parseSeed)
  .option('--backend <name>', 'tfjs backend to try first: tensorflow, webgpu, wasm or cpu')
  .option('--force', 'replace a model already in the folder')
  .option('--json', 'print the result as JSON')
  .option('-q, --quiet', 'no progress output')
  .action((opts: Parameters<typeof runForecastGrid>[0]) => runForecastGrid(opts, pkg.version));

forecast
  .command('evaluate')
  .description('score a saved forecast model on a split of its data against persistence (and climatology or trend)')
  .argument('<model>', 'model folder (terra forecast stations|grid)')
  .option('--split <name>', 'train, validation or test', parseSplitName, 'test')
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--out <file>', 'also write the report as JSON')
  .option('--json', 'print JSON')
  .action((model: string, opts: Parameters<typeof runForecastEvaluate>[1]) => runForecastEvaluate(model, opts));

const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
};

forecast
  .command('monitor')
  .description('score new observations with a station model: rolling error against the held-out test, drift and stuck sensors flagged, a retrain command')
  .argument('<model>', 'station model folder (terra forecast stations)')
  .argument('<observations>', 'station CSV with the model\'s columns, later than its training data')
  .option('--window <rows>', 'rows (days) per rolling window (default 30)', parsePositiveInt)
  .option('--threshold <ratio>', 'flag drift when the rolling RMSE exceeds this multiple of the expected (default 1.5)', positiveNumber)
  .option('--stuck <rows>', 'flag a column repeating one value this many rows (default 7; 0 off)', (v) => (v === '0' ? 0 : parsePositiveInt(v)))
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--out <file>', 'also write the report as JSON')
  .option('--csv <file>', 'write the rolling series (date, station, rmse, expected_rmse, ratio, ...)')
  .option('--fail-on-drift', 'exit with status 2 when anything is flagged')
  .option('--json', 'print JSON')
  .action((model: string, observations: string, opts: Parameters<typeof runForecastMonitor>[2]) => runForecastMonitor(model, observations, opts));

forecast
  .command('importance')
  .description('permutation importance of a station model\'s inputs: the rise of held-out RMSE when each station x lag (and the day of year) is shuffled')
  .argument('<model>', 'station model folder (terra forecast stations)')
  .option('--split <name>', 'train, validation or test', parseSplitName, 'test')
  .option('--repeats <n>', 'shuffles per column, averaged', parsePositiveInt, 5)
  .option('--seed <n>', 'seed of the shuffles', parseSeed, 1)
  .option('--target <name>', 'score one target station (default: all targets)')
  .option('--top <n>', 'rows to print per table', parsePositiveInt)
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--out <file>', 'also write the report as JSON')
  .option('--json', 'print JSON')
  .option('-q, --quiet', 'no progress output')
  .action((model: string, opts: Parameters<typeof runForecastImportance>[1]) => runForecastImportance(model, opts));

program
  .command('explain')
  .description("saliency maps of a flood surrogate: the gradient of a cell's predicted max depth with respect to every input channel at every cell")
  .argument('<model>', 'model folder (terra train)')
  .requiredOption('--intensity <mm_h>', 'rain intensity, mm/h', parsePositive)
  .requiredOption('--duration <min>', 'rain duration, minutes', parsePositive)
  .option('--cell <row,col>', 'target cell, row 0 north (default: the deepest predicted)', parseCell)
  .option('--radius <cells>', 'sum the depth of the cells within this many of the target', (v) => (v === '0' ? 0 : parsePositiveInt(v)), 0)
  .requiredOption('-o, --out <dir>', 'output folder: saliency_*.asc/.tif, summary.json')
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--json', 'print the summary as JSON')
  .option('-q, --quiet', 'no progress output')
  .action((model: string, opts: Parameters<typeof runExplain>[1]) => runExplain(model, opts));

const vae = program.command('vae').description('a convolutional VAE of field patches (flood max depth or terrain relief): train, evaluate against PCA, sample, reconstruct');

vae
  .command('train')
  .description('train a VAE on patches of a flood dataset\'s max-depth fields or of a DEM\'s relief; held-out columns at the east end')
  .argument('[source]', 'flood dataset folder (terra dataset) or DEM raster (.tif, .asc, .nc, .npz); or data in --config')
  .requiredOption('-o, --out <dir>', 'model folder')
  .option('-c, --config <file>', 'VAE config JSON (see src/learn/vae/config.ts)')
  .option('--patch <cells>', 'patch side (default 64; a multiple of 2^levels)', parsePositiveInt)
  .option('--stride <cells>', 'step between patches (default 16)', parsePositiveInt)
  .option('--latent <n>', 'latent dimensions (default 16)', parsePositiveInt)
  .option('--beta <w>', 'weight of the KL term (default 1)', (v) => (v === '0' ? 0 : parsePositive(v)))
  .option('-e, --epochs <n>', 'epochs at most', parsePositiveInt)
  .option('-b, --batch-size <n>', 'patches per batch', parsePositiveInt)
  .option('--lr <rate>', 'learning rate', parsePositive)
  .option('--seed <n>', 'seed of weights, batches and noise', parseSeed)
  .option('--samples <n>', 'prior samples for the evaluation (default 256)', parsePositiveInt)
  .option('--backend <name>', 'tfjs backend to try first: tensorflow, webgpu, wasm or cpu')
  .option('--force', 'replace a model already in the folder')
  .option('--json', 'print the result as JSON')
  .option('-q, --quiet', 'no progress output')
  .action((source: string | undefined, opts: Parameters<typeof runVaeTrain>[1]) => runVaeTrain(source, opts, pkg.version));

vae
  .command('evaluate')
  .description('held-out reconstruction against the mean field and PCA of the same size; prior samples against the data')
  .argument('<model>', 'VAE folder (terra vae train)')
  .option('--samples <n>', 'prior samples', parsePositiveInt, 256)
  .option('--seed <n>', 'seed of the samples', parseSeed, 1)
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--out <file>', 'also write the report as JSON')
  .option('--json', 'print JSON')
  .action((model: string, opts: Parameters<typeof runVaeEvaluate>[1]) => runVaeEvaluate(model, opts));

vae
  .command('sample')
  .description('patches drawn from the prior: samples.npy [n, patch, patch] and one .asc each')
  .argument('<model>', 'VAE folder (terra vae train)')
  .option('-n, --count <n>', 'samples', parsePositiveInt, 16)
  .option('--seed <n>', 'seed of the draws', parseSeed, 1)
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('--backend <name>', 'tfjs backend to try first')
  .option('-q, --quiet', 'no output but errors')
  .action((model: string, opts: Parameters<typeof runVaeSample>[1]) => runVaeSample(model, opts));

vae
  .command('reconstruct')
  .description('a whole field of the source through the VAE, tile by tile: original and reconstruction as .asc/.tif')
  .argument('<model>', 'VAE folder (terra vae train)')
  .option('--scenario <id>', 'flood scenario (a raster source has one field)')
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('--backend <name>', 'tfjs backend to try first')
  .option('--json', 'print the summary as JSON')
  .action((model: string, opts: Parameters<typeof runVaeReconstruct>[1]) => runVaeReconstruct(model, opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const message = err instanceof TerraError ? `${err.code}: ${err.message}` : (err as Error).message;
  console.error(`terra: ${message}`);
  process.exitCode = 1;
}
