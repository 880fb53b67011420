/**
 * The 2D shallow-water flood solver: CPU reference implementation.
 *
 *   const solver = createFloodSolver(setup);  // validates; TerraError('INVALID_PARAMS') names the field
 *   while (solver.time < end) solver.step(end - solver.time);
 *   solver.dispose();
 *
 * Schemes: 'fv' (second-order well-balanced positivity-preserving finite
 * volumes) and 'inertial' (local inertia on staggered face flows). See
 * types.ts for the contract and README-style notes in each module.
 */
import { FloodSolverImpl } from './solver';
import type { FloodSetup, FloodSolver } from './types';

export type { Boundary, FloodKernels, FloodScheme, FloodSetup, FloodSolver, MassBalance } from './types';
export { GRAVITY, DEFAULT_DRY_TOLERANCE } from './constants';

/** Validates `setup` and builds a solver (starting worker threads when setup.threads > 1). */
export function createFloodSolver(setup: FloodSetup): FloodSolver {
  return new FloodSolverImpl(setup);
}
