/** Physical and numerical constants of the flood solver, in one place. */

/** Gravitational acceleration (m s^-2). */
export const GRAVITY = 9.81;

/**
 * Default dry tolerance (m). Two orders below typical DEM vertical accuracy and
 * below any depth of interest to a flood map; a 1e-4 m sheet on a 1 % slope
 * with n = 0.03 moves at ~7 mm/s, so zeroing velocities below it loses nothing
 * physical while keeping u = hu/h well conditioned.
 */
export const DEFAULT_DRY_TOLERANCE = 1e-4;

/**
 * Kurganov-Petrova velocity desingularisation depth, as a multiple of the dry
 * tolerance: below it u = sqrt(2) h (hu) / sqrt(h^4 + eps^4) instead of hu/h.
 */
export const DESINGULARISATION_FACTOR = 2;

/** fv: the Courant number that keeps the second-order (MUSCL + SSP-RK2) scheme positive, times `cfl`. */
export const FV_POSITIVITY_COURANT = 0.5;

/** inertial: Bates et al. (2010) stability factor alpha, times `cfl`. */
export const INERTIAL_ALPHA = 0.7;

/** inertial: de Almeida et al. (2012) weight of the face's own flow in the q-centred average. */
export const INERTIAL_THETA = 0.7;

/** Boundary kinds as small integers, shared by CPU kernels and (later) WGSL uniforms. */
export const BOUNDARY_WALL = 0;
export const BOUNDARY_OPEN = 1;
export const BOUNDARY_STAGE = 2;
export type BoundaryKind = typeof BOUNDARY_WALL | typeof BOUNDARY_OPEN | typeof BOUNDARY_STAGE;

/** Sides, in the order used by every per-side array. */
export const SIDES = ['west', 'east', 'north', 'south'] as const;
export type Side = (typeof SIDES)[number];
export const WEST = 0;
export const EAST = 1;
export const NORTH = 2;
export const SOUTH = 3;

/** Largest number of threads a solver may use. */
export const MAX_THREADS = 16;
/** Fewest rows a thread's band may hold (the two-cell halo is filled from a band's own rows). */
export const MIN_BAND_ROWS = 2;
