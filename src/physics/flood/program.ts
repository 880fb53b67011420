/**
 * The band program: one thread's part of a step, written once for every
 * thread (the main thread runs band 0, workers the others). `barrier` waits
 * for all threads between phases that read a neighbour band's writes.
 */
import type { FvContext, InertialContext } from './context';
import type { Band } from './grid';
import { createFvScratch, fvScratchLength } from './fv/sweep';
import { fvStepBand } from './fv/stepper';
import { inertialStepBand } from './inertial/stepper';
import { createInertialScratch, inertialScratchLength } from './inertial/sweep';

export type BandProgram = (band: Band, barrier: () => void) => void;

/** band: the index of the band this thread runs (its share of the scratch memory). */
export function createBandProgram(ctx: FvContext | InertialContext, band: number): BandProgram {
  if (ctx.spec.scheme === 'fv') {
    const fv = ctx as FvContext;
    const length = fvScratchLength(fv.grid.nx);
    const region = fv.arrays.scratch.length > 0 ? fv.arrays.scratch.subarray(band * length, (band + 1) * length) : undefined;
    const scratch = createFvScratch(fv.grid.nx, region);
    return (band, barrier) => fvStepBand(fv, band, scratch, barrier);
  }
  const inertial = ctx as InertialContext;
  const { nx } = inertial.grid;
  const length = inertialScratchLength(nx);
  const region = inertial.arrays.scratch.length > 0 ? inertial.arrays.scratch.subarray(band * length, (band + 1) * length) : undefined;
  const scratch = createInertialScratch(nx, region);
  return (band, barrier) => inertialStepBand(inertial, band, scratch, barrier);
}
