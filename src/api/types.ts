/** Result types of the API: plain data, typed arrays for fields. */

export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as SwiftShader (correct, not fast). */
  software: boolean;
}

export interface ComputeInfo {
  cpuThreads: number;
  gpu: { available: true; adapter: GpuAdapterInfo } | { available: false; reason: string };
  tfjs: {
    version: string;
    /** The backend the engine uses for tensors: tensorflow, webgpu, wasm or cpu. */
    backend: string;
    /** Backends that initialised, best first. */
    available: string[];
    /** Why better backends were skipped, for the status bar and `terra info`. */
    notes: string[];
  };
}

export interface EngineInfo {
  version: string;
  pid: number;
  node: string;
  platform: string;
  arch: string;
  compute: ComputeInfo;
  /** Where imports go when the user has chosen no project folder (an absolute path on the engine's machine). */
  defaultProjectDir: string;
}

export interface Georeference {
  /** Columns (x, west to east) and rows (y, north to south). */
  nx: number;
  ny: number;
  /** Map coordinates of the north-west corner of cell (0, 0). */
  x0: number;
  y0: number;
  /** Cell size in CRS units, both positive. */
  dx: number;
  dy: number;
  /** e.g. "EPSG:31985"; "unknown" when the file has none. */
  crs: string;
  /** Approximate cell size in metres, for scale bars and physics. */
  dxMetres: number;
  dyMetres: number;
}

export interface RasterStats {
  min: number;
  max: number;
  mean: number;
  nodataFraction: number;
}

export interface SiteSummary {
  id: string;
  name: string;
  description: string;
  source: string;
  licence: string;
}

export interface SiteData {
  site: SiteSummary;
  georef: Georeference;
  units: 'm';
  stats: RasterStats;
  /** Row-major, row 0 is north; NaN where there is no data. */
  elevation: Float32Array;
}

/**
 * A flood run's water balance at one output time, streamed with its frame
 * (`stats`): cumulative volumes since the start, as in FloodRunSummary, so
 * storage - (initial + in - out) is the mass error so far.
 */
export interface FloodFrameStats {
  /** Water on the grid (m^3): sum of depth x cell area, in float64. */
  storage_m3: number;
  /** Rain, point inflows and water entering through boundaries so far (m^3). */
  volume_in_m3: number;
  /** Water that left through the boundaries so far (m^3). */
  volume_out_m3: number;
}

/** summary.json of a flood run (DESIGN.md contract names). */
export interface FloodRunSummary {
  name: string;
  status: 'completed' | 'cancelled';
  scheme: string;
  backend: string;
  threads: number;
  /** The kernels that ran: 'wasm' or 'typescript' on the CPU, 'wgsl' on the GPU. */
  kernels: string;
  cells: number;
  nx: number;
  ny: number;
  dx_m: number;
  dy_m: number;
  steps: number;
  duration_s: number;
  simulated_time_s: number;
  output_times: number;
  wall_time_s: number;
  cell_updates_per_s: number;
  volume_initial_m3: number;
  volume_in_m3: number;
  volume_out_m3: number;
  volume_final_m3: number;
  /** Water added by clipping round-off negative depths (part of volume_in); near 0 in a healthy run. */
  volume_clipped_m3: number;
  mass_error_rel: number;
  max_depth_m: number;
  outputs: string[];
}

/** One gauge of a run: its place and its samples at every output time (as in gauges.csv). */
export interface GaugeSeries {
  name: string;
  /** Map coordinates as given, and the grid cell holding them (row 0 north). */
  x: number;
  y: number;
  col: number;
  row: number;
  time_s: number[];
  depth_m: number[];
  /** Bed + depth at the cell. */
  stage_m: number[];
  /** Eastward and northward velocity. */
  u_m_s: number[];
  v_m_s: number[];
}

/** What flood.run returns. */
export interface FloodRunResult {
  summary: FloodRunSummary;
  /** Absolute path of the run folder (gauges.csv, max_depth, summary.json, ...). */
  runDir: string;
  gauges: GaugeSeries[];
}

/** Summary statistics of one variable; min..mad are null when there is no valid value. */
export interface InspectStats {
  /** Valid values. */
  count: number;
  /** Nodata (NaN) values. */
  nodata: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Population standard deviation. */
  std: number | null;
  median: number | null;
  /** Median absolute deviation from the median. */
  mad: number | null;
}

/** What `terra inspect` and `data.inspect` report about one file. JSON-safe: no NaN or Infinity. */
export interface InspectReport {
  file: string;
  /** Absolute path. */
  path: string;
  /** Format name for people ("GeoTIFF", "NetCDF-3"). */
  format: string;
  detail: string;
  bytes: number;
  kind: 'grid' | 'station-series' | 'station-locations';
  grid?: {
    kind: 'regular' | 'curvilinear';
    nx: number;
    ny: number;
    cells: number;
    crs: string;
    crsTitle: string;
    /** Cell size in CRS units (degrees for geographic grids). */
    dx?: number;
    dy?: number;
    dxMetres?: number;
    dyMetres?: number;
    extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
    lonRange?: [number, number];
    latRange?: [number, number];
  };
  variable?: string;
  /** Units in the file and the project units they are imported as (null: unknown units, give them). */
  units?: { units: string; source: string; importAs: string | null };
  /** Over every frame, in the source units. */
  stats?: InspectStats;
  /** The range converted to project units, when the units are known. */
  projectRange?: { min: number | null; max: number | null; units: string };
  /** Share of nodata values, 0..1. */
  nodataFraction?: number;
  spikeCandidates?: number;
  time?: { steps: number; start: string; end: string; stepSeconds: number | null } | null;
  columns?: Array<{ name: string; units: string; stats: InspectStats }>;
  labels?: string[];
  stations?: Array<{ name: string; code: string; lat: number; lon: number }>;
  warnings: string[];
}

/** What an import can be told (a subset of `terra import`'s options). */
export interface ImportSettings {
  /** Target CRS of grids, e.g. "EPSG:32725" (default: the UTM zone of each grid's centre). */
  crs?: string;
  /** Target cell size in metres (default: about the source's). */
  cellSize?: number;
  /** Replace detected spikes by filled values (default: report them only). */
  despike?: boolean;
  /** Raster hole filling (default laplace). */
  fill?: 'laplace' | 'idw' | 'none';
}

/** Progress of one item of a multi-item job (a file of an import). */
export interface JobStep {
  /** The item, e.g. a file name. */
  item: string;
  /** 0-based index of the item, and how many there are. */
  index: number;
  total: number;
  /** What is happening to it, e.g. "read", "regrid", "write". */
  stage: string;
  /** How far this item is, 0..1. */
  fraction: number;
}

/** One data set written by an import. */
export interface ImportedDataSummary {
  id: string;
  name: string;
  kind: 'raster' | 'field-series' | 'station-series';
  /** Absolute paths of the data file (GeoTIFF, Zarr folder or CSV) and of its JSON sidecar. */
  dataPath: string;
  sidecarPath: string;
  /** Paths relative to the project folder, as in the manifest. */
  file: string;
  sidecar: string;
  source: string;
  grid: { crs: string; nx: number; ny: number; dx: number; dy: number } | null;
  variables: Array<{ name: string; units: string; min: number | null; max: number | null; nodata: number }>;
  time: { start: string; end: string; steps: number } | null;
  /** True for one elevation grid in metres: `terrain.open` can show dataPath. */
  terrain: boolean;
  warnings: string[];
}

export interface ImportResult {
  projectDir: string;
  /** Absolute path of terra-project.json. */
  manifestPath: string;
  datasets: ImportedDataSummary[];
  /** GeoTIFF of the first terrain imported (for `terrain.open`), or null when none was. */
  terrainPath: string | null;
}

/** A built-in weather sample (`weather.list`): gridded fields the explorer can load over a sample site. */
export interface WeatherSampleSummary {
  id: string;
  name: string;
  description: string;
  source: string;
  licence: string;
  /** ISO 8601 times of its first and last frames, and the step between them (s). */
  start: string;
  end: string;
  interval_s: number;
  /** Source variables: temperature, pressure, u, v. */
  variables: string[];
}

/** What a `weather.run` did (a subset of the run folder's summary.json). */
export interface WeatherRunSummary {
  name: string;
  status: 'completed' | 'cancelled';
  nx: number;
  ny: number;
  cells: number;
  frames_planned: number;
  frames_written: number;
  /** ISO 8601 time of the first frame. */
  first_time: string;
  /** Fields of each frame (fields.zarr names). */
  variables: string[];
  wall_time_s: number;
  /** The mass-consistent wind: lid, and over the frames the most CG iterations and the largest |div(H u)| left (m/s). */
  wind: { lid_top_m: number; lid_depth_m: number; max_iterations: number; max_divergence_m_s: number; converged: boolean } | null;
  /** One line per input file. */
  inputs: string[];
  warnings: string[];
  outputs: string[];
}

/** One point of a weather run: its place and, at every frame, the fields at the cell holding it. */
export interface WeatherPointSeries {
  name: string;
  x: number;
  y: number;
  col: number;
  row: number;
  /** Epoch seconds (UTC), as the frames' `time`. */
  time_s: number[];
  temperature_c: number[];
  pressure_pa: number[];
  u_m_s: number[];
  v_m_s: number[];
  /** hypot(u, v) of the frame's 32-bit values. */
  wind_speed_m_s: number[];
  /** Rain rate (mm/h), when the run has rain (a synthetic scenario's rain cell). */
  precipitation_mm_h?: number[];
}

/** What weather.run returns. */
export interface WeatherRunResult {
  summary: WeatherRunSummary;
  /** Absolute path of the run folder (summary.json, points.csv, fields.zarr when asked for). */
  runDir: string;
  points: WeatherPointSeries[];
}
