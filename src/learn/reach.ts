/**
 * The reach of a rain family: the cells some training scenario flooded to at
 * least REACH_DEPTH_M (half the 5 cm flood threshold).
 * Elsewhere every training storm left under 2.5 cm, and a per-cell network
 * is not evaluated there: its residual is taken as zero, so the prediction
 * is the response-surface baseline (which the same storms fitted to a few
 * millimetres). On Jacksboro the reach is about a sixth of the grid, so the
 * per-cell MLP predicts several times faster with the same scores
 * (test/bench/surrogate.ts prints both).
 */
export const REACH_DEPTH_M = 0.025;

/** Indices of reach cells, ascending, from the training scenarios' max-depth fields. */
export function reachCells(maxDepths: Iterable<ArrayLike<number>>, cells: number, depth = REACH_DEPTH_M): Int32Array {
  const wet = new Uint8Array(cells);
  for (const field of maxDepths) {
    for (let k = 0; k < wet.length; k++) if (field[k]! >= depth) wet[k] = 1;
  }
  const reach: number[] = [];
  wet.forEach((w, k) => w && reach.push(k));
  return Int32Array.from(reach);
}
