/**
 * The flood solver's public contract: what a caller (the scenario runner, the
 * CLI, a test) gives it and what it gets back. Geometry follows the DEM: flat
 * row-major arrays, row 0 = NORTH edge, column 0 = WEST edge, y grows north, so
 * the northward velocity v is positive towards row 0.
 */

/** A boundary condition for one side of the grid (data: kind + value). */
export type Boundary =
  | { type: 'wall' } // reflective: no normal flux
  | { type: 'open' } // transmissive / free outflow; what leaves is counted in volumeOut
  | { type: 'stage'; stage: (t: number) => number }; // water-surface elevation (m) outside the edge

export type FloodScheme = 'fv' | 'inertial';

export interface FloodSetup {
  /** Columns (x, west -> east) and rows (y). */
  nx: number;
  ny: number;
  /** Cell size in metres, > 0. */
  dx: number;
  dy: number;
  /** Row-major, row 0 = NORTH edge (y grows north, like the DEM). Bed elevation m. Finite everywhere. */
  bed: Float64Array;
  /** Manning's n (s m^-1/3), scalar or per cell; 0 = frictionless. */
  manning: number | Float64Array;
  /** Initial depth per cell (m, >= 0). */
  h0: Float64Array;
  /** Optional initial velocities (m/s; v positive NORTH). */
  u0?: Float64Array;
  v0?: Float64Array;
  boundaries: { west: Boundary; east: Boundary; north: Boundary; south: Boundary };
  /**
   * Rain rate in m/s at time t (>= 0): a number (uniform) or writes a per-cell
   * field into `out` (length nx*ny) and returns it (or another array of that length).
   */
  rain?: (t: number, out: Float64Array) => number | Float64Array;
  /**
   * Times (s) where the rain or an inflow changes abruptly or bends (a storm
   * starts or stops, a series knot, a rain frame's edge). Drivers end steps
   * on them (scenario/run.ts), so no step straddles one: rain sampled at a
   * step's midpoint then stands for the whole step, and the rain volume is
   * exact however long the steps (a dry domain has no CFL limit).
   */
  forcingBreaks?: readonly number[];
  /** Point sources (m^3/s) added to one cell each; a negative discharge abstracts up to the water there. */
  inflows?: { cell: number; discharge: (t: number) => number }[];
  scheme: FloodScheme;
  /**
   * Courant number in (0, 1]. fv: dt = cfl * 0.5 / max_cells((|u|+c)/dx + (|v|+c)/dy)
   * (0.5 is the positivity bound of the second-order scheme). inertial:
   * dt = cfl * 0.7 * min(dx, dy) / sqrt(g * h_max) (Bates et al. 2010, alpha = 0.7).
   */
  cfl: number;
  /** Depth (m) at or below which a cell is dry (zero velocity). Default 1e-4 m. */
  dryTolerance?: number;
  /** Worker threads sharing the grid by row bands (the calling thread is one of them). Default 1. */
  threads?: number;
  /**
   * CPU kernels: 'wasm' (default; WebAssembly, bit-identical to the
   * TypeScript ones and faster) or 'typescript'. Grids too large for a 32-bit
   * WebAssembly memory (~4 GiB of fields) use 'typescript'.
   */
  kernels?: FloodKernels;
}

export type FloodKernels = 'wasm' | 'typescript';

/** Cumulative volumes (m^3) since the start. volume() - (volumeIn - volumeOut) equals the initial volume. */
export interface MassBalance {
  /** Rain + point inflows + water entering through boundaries (+ clipped, see below). */
  readonly volumeIn: number;
  /** Water leaving through boundaries + water abstracted by negative inflows. */
  readonly volumeOut: number;
  /**
   * Volume added by clipping round-off negative depths to zero (already part of
   * volumeIn, so the balance stays exact). Stays at or near zero; a large
   * value flags a time step that was too long.
   */
  readonly clipped: number;
}

export interface FloodSolver {
  readonly scheme: FloodScheme;
  readonly nx: number;
  readonly ny: number;
  /** Simulated time (s) and number of steps taken. */
  readonly time: number;
  readonly steps: number;
  /** The CPU kernels in use. */
  readonly kernels: FloodKernels;
  /**
   * Cell-centred depth (m) and unit discharges h*u, h*v (m^2/s, v positive
   * north), row 0 north. Live views updated in place by step(): the same
   * arrays for the solver's whole life. Do not write to them.
   */
  readonly h: Float64Array;
  readonly hu: Float64Array;
  readonly hv: Float64Array;
  readonly mass: MassBalance;
  /**
   * Advances one step of at most maxDt seconds (CFL-limited) and returns the dt
   * taken. Synchronous also with threads > 1 (the calling thread computes one
   * band and waits for the others with Atomics.wait, allowed in Node and in
   * Electron's utility process).
   */
  step(maxDt: number): number;
  /** The largest stable step for the current state (s); Infinity when nothing limits it. */
  stableDt(): number;
  /** Stored water volume m^3. */
  volume(): number;
  /** Stops the worker threads and releases the buffers. The solver cannot step afterwards. */
  dispose(): void;
  /** Resolves once every worker thread has exited (at once for one thread); for hosts that shut down cleanly. */
  whenThreadsExit(): Promise<void>;
}
