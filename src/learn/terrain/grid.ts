/** A DEM grid for terrain analysis: row-major, row 0 north, cell sizes in metres. */
export interface DemGrid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
  z: ArrayLike<number>;
}

/** The eight neighbours as (row, column) offsets, with their centre distances for a grid. */
export function neighbours(dx: number, dy: number): { dr: number; dc: number; dist: number }[] {
  const out: { dr: number; dc: number; dist: number }[] = [];
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      if (dr !== 0 || dc !== 0) out.push({ dr, dc, dist: Math.hypot(dr * dy, dc * dx) });
    }
  }
  return out;
}
