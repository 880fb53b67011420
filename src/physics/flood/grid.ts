/**
 * The grid owns geometry: sizes, spacings, the two-cell halo of padded arrays,
 * and the split of rows into per-thread bands.
 *
 * Indexing: cell (i, j), column i (west -> east), row j (north -> south,
 * y grows north), has flat index k = j * nx + i. Padded arrays (with HALO
 * ghost cells on every side) use p = (j + HALO) * pw + (i + HALO), pw = nx + 2 HALO.
 * x-faces: face (i, j) is the west face of cell (i, j), i = 0..nx, index j * (nx + 1) + i.
 * y-faces: face (i, f) is the north face of cell (i, f), f = 0..ny, index f * nx + i.
 */
export const HALO = 2;

export interface FloodGrid {
  readonly nx: number;
  readonly ny: number;
  readonly dx: number;
  readonly dy: number;
  readonly cellArea: number;
  readonly cells: number;
  /** Padded row width and padded cell count. */
  readonly pw: number;
  readonly paddedCells: number;
}

export function createGrid(nx: number, ny: number, dx: number, dy: number): FloodGrid {
  const pw = nx + 2 * HALO;
  return { nx, ny, dx, dy, cellArea: dx * dy, cells: nx * ny, pw, paddedCells: pw * (ny + 2 * HALO) };
}

/** Padded index of cell (i, j); i and j may reach -HALO .. n-1+HALO. */
export function padded(grid: FloodGrid, i: number, j: number): number {
  return (j + HALO) * grid.pw + (i + HALO);
}

/** Rows [j0, j1) of one thread. */
export interface Band {
  readonly index: number;
  readonly j0: number;
  readonly j1: number;
}

/** Splits ny rows into `threads` contiguous bands, as even as possible, north first. */
export function splitBands(ny: number, threads: number): Band[] {
  const bands: Band[] = [];
  for (let t = 0; t < threads; t++) {
    bands.push({ index: t, j0: Math.floor((t * ny) / threads), j1: Math.floor(((t + 1) * ny) / threads) });
  }
  return bands;
}
