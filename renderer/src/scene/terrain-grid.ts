/**
 * The DEM as the terrain surface sees it: one vertex per cell at full
 * resolution, with spacing in metres, and the per-vertex normal and
 * hillshade computed from full-resolution neighbours (so every level of
 * detail is lit alike). Pure functions over typed arrays; the tile levels
 * (terrain-tile-level.ts) own the buffers.
 *
 * World frame: x east, y up, z south (row 0 of the DEM is north, at -z).
 */
/** What the terrain reads of a site: the API's SiteData is one (kept structural so this module needs no engine types). */
export interface SiteDem {
  georef: { nx: number; ny: number; dxMetres: number; dyMetres: number };
  stats: { min: number; max: number };
  /** Metres, row-major, row 0 north; NaN = nodata. */
  elevation: Float32Array;
}

export interface TerrainGrid {
  /** Vertices along x (west to east) and z (north to south): the DEM's cells. */
  cols: number;
  rows: number;
  /** Vertex spacing in metres. */
  dx: number;
  dz: number;
  /** Elevations in metres at the vertices, row-major, row 0 north; NaN = nodata. The DEM's own array. */
  heights: Float32Array;
  /** Finite elevation range in metres. */
  min: number;
  max: number;
}

/** The DEM at full resolution (no copy: the heights are the site's elevation array). */
export function terrainGrid(data: SiteDem): TerrainGrid {
  const { nx, ny, dxMetres, dyMetres } = data.georef;
  const heights = data.elevation;
  let { min, max } = data.stats;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = Infinity;
    max = -Infinity;
    for (const h of heights) {
      if (h < min) min = h;
      if (h > max) max = h;
    }
    if (!Number.isFinite(min)) min = max = 0;
  }
  return { cols: nx, rows: ny, dx: dxMetres, dz: dyMetres, heights, min, max };
}

/**
 * The world frame of DEM cells: vertices sit on cell centres and the surface
 * is centred on the origin. Cell (col, row) is at x = x0 + col * cellX,
 * z = z0 + row * cellZ.
 */
export interface CellFrame {
  x0: number;
  z0: number;
  cellX: number;
  cellZ: number;
  /** Last column and row the surface reaches. */
  maxCol: number;
  maxRow: number;
}

export function cellFrame(grid: TerrainGrid): CellFrame {
  const { cols, rows, dx, dz } = grid;
  return { x0: -((cols - 1) * dx) / 2, z0: -((rows - 1) * dz) / 2, cellX: dx, cellZ: dz, maxCol: cols - 1, maxRow: rows - 1 };
}

/** The DEM cell nearest to a world point on the surface, or null off the surface. */
export function worldToCell(frame: CellFrame, x: number, z: number): { col: number; row: number } | null {
  const col = Math.round((x - frame.x0) / frame.cellX);
  const row = Math.round((z - frame.z0) / frame.cellZ);
  if (col < 0 || row < 0 || col > frame.maxCol || row > frame.maxRow) return null;
  return { col, row };
}

/** Unit vector towards the sun: azimuth clockwise from north, altitude above the horizon. */
export function sunDirection(azimuthDeg: number, altitudeDeg: number): [number, number, number] {
  const az = (azimuthDeg * Math.PI) / 180;
  const alt = (altitudeDeg * Math.PI) / 180;
  return [Math.sin(az) * Math.cos(alt), Math.sin(alt), -Math.cos(az) * Math.cos(alt)];
}

/** The cartographic convention: light from the north-west, 45 degrees up. */
export const SUN = sunDirection(315, 45);

/**
 * The normal of the surface y = exaggeration * h(x, z) at DEM cell (i, j) by
 * central differences over full-resolution neighbours (one-sided at edges
 * and next to nodata), written to normals[offset..offset+2]; returns the
 * hillshade max(0, n . sun) with the same vertical exaggeration as z-factor.
 */
export function normalAndShade(
  grid: TerrainGrid,
  exaggeration: number,
  i: number,
  j: number,
  normals: Float32Array,
  offset: number,
  sun: readonly [number, number, number] = SUN,
): number {
  const { cols, rows, dx, dz, heights } = grid;
  const k = j * cols + i;
  const h = heights[k]!;
  let nx = 0;
  let nz = 0;
  if (h === h) {
    let il = i > 0 ? i - 1 : i;
    let ir = i < cols - 1 ? i + 1 : i;
    let hl = heights[k - i + il]!;
    let hr = heights[k - i + ir]!;
    if (hl !== hl) {
      hl = h;
      il = i;
    }
    if (hr !== hr) {
      hr = h;
      ir = i;
    }
    let ju = j > 0 ? j - 1 : j;
    let jd = j < rows - 1 ? j + 1 : j;
    let hu = heights[ju * cols + i]!;
    let hd = heights[jd * cols + i]!;
    if (hu !== hu) {
      hu = h;
      ju = j;
    }
    if (hd !== hd) {
      hd = h;
      jd = j;
    }
    if (ir > il) nx = (-exaggeration * (hr - hl)) / ((ir - il) * dx);
    if (jd > ju) nz = (-exaggeration * (hd - hu)) / ((jd - ju) * dz);
  }
  const inv = 1 / Math.sqrt(nx * nx + 1 + nz * nz);
  const ox = nx * inv;
  const oy = inv;
  const oz = nz * inv;
  normals[offset] = ox;
  normals[offset + 1] = oy;
  normals[offset + 2] = oz;
  const s = ox * sun[0] + oy * sun[1] + oz * sun[2];
  return s > 0 ? s : 0;
}

/**
 * A vertical exaggeration that makes relief readable: about a tenth of the
 * horizontal extent, rounded to a friendly value between 1 and 20.
 */
export function suggestExaggeration(data: SiteDem): number {
  const { nx, ny, dxMetres, dyMetres } = data.georef;
  const extent = Math.max(nx * dxMetres, ny * dyMetres);
  const relief = data.stats.max - data.stats.min;
  if (!(relief > 0) || !(extent > 0)) return 1;
  const ideal = (0.1 * extent) / relief;
  const steps = [1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20];
  let best = steps[0]!;
  for (const s of steps) if (s <= ideal) best = s;
  return best;
}
