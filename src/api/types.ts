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

/** summary.json of a flood run (DESIGN.md contract names). */
export interface FloodRunSummary {
  name: string;
  status: 'completed' | 'cancelled';
  scheme: string;
  backend: string;
  threads: number;
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
  mass_error_rel: number;
  max_depth_m: number;
  outputs: string[];
}
