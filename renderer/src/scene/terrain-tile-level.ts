/**
 * The buffers of one tile at one level: its surface vertices sampled from
 * the full-resolution DEM every `stride` cells (heights exact; normals and
 * hillshade from full-resolution neighbours, averaged at coarser levels over
 * the cells each vertex spans, so a level shows the mean shading of the
 * ground it stands for), then skirts and walls:
 *
 * - a skirt under each edge shared with a neighbour: the edge vertices again,
 *   hanging a little below the lowest DEM cell along that edge. A neighbour
 *   at another level interpolates the same edge between its own samples,
 *   never below that lowest cell, so the skirt fills any crack between them.
 *   Drawn with both windings (a crack can be seen from either side).
 * - a wall on each edge on the terrain's border: from the edge down to the
 *   block's flat base, facing out, in the wall's earth colours.
 *
 * The index holds the surface triangles first, then the skirts' and walls'
 * (`surfaceIndexCount` says where they start), so layers draped on the
 * terrain can draw the surface alone from the same buffers.
 * Pure functions over typed arrays; TerrainSurface wraps them in geometries.
 */
import { Color, SRGBColorSpace } from 'three';
import { NODATA_RGB, SEA_RGB, elevationScale, sampleRamp } from './elevation-ramp';
import { normalAndShade, type TerrainGrid } from './terrain-grid';
import { axisOffsets, strideOf, type Tile } from './terrain-tiles';

/** Hillshade factor on the ramp colour: shadowed slopes keep this much light. */
const SHADE_FLOOR = 0.4;
/** Hillshade of flat ground (sun 45 degrees up); flat ground keeps its ramp colour. */
const FLAT_SHADE = Math.SQRT1_2;
/** The walls' earth colours (linear), top then foot. */
const WALL_COLORS = (() => {
  const top = new Color().setRGB(0.42, 0.35, 0.29, SRGBColorSpace);
  const foot = new Color().setRGB(0.2, 0.17, 0.15, SRGBColorSpace);
  return new Float32Array([top.r, top.g, top.b, foot.r, foot.g, foot.b]);
})();

/** sRGB -> linear lookup (vertex colours are linear in three.js). */
const LINEAR = new Float32Array(1025);
{
  const c = new Color();
  for (let i = 0; i <= 1024; i++) {
    c.setRGB(i / 1024, 0, 0, SRGBColorSpace);
    LINEAR[i] = c.r;
  }
}
const toLinear = (v: number) => LINEAR[v >= 1 ? 1024 : v <= 0 ? 0 : (v * 1024 + 0.5) | 0]!;

export interface SurfaceLook {
  exaggeration: number;
  hillshade: boolean;
}

/** One edge of a tile level: its surface vertices in order along the edge, and what hangs under them. */
interface Edge {
  /** Surface vertex indices along the edge, west to east or north to south. */
  top: number[];
  /** Outward horizontal normal. */
  normal: [number, number, number];
  /** First vertex of what hangs under the edge: one skirt vertex per edge vertex, or a wall's top and foot pair. */
  first: number;
  wall: boolean;
  /** Lowest DEM height along the whole edge (m; NaN: no data at all): how far the skirt must reach. */
  lowest: number;
}

export interface TileLevelData {
  tile: Tile;
  level: number;
  stride: number;
  /** DEM column and row offsets (from the tile's corner) of the surface vertices along x and z. */
  xs: number[];
  zs: number[];
  vertexCount: number;
  positions: Float32Array;
  normals: Float32Array;
  colors: Float32Array;
  index: Uint16Array | Uint32Array;
  /** Index entries of the surface triangles (the skirts and walls follow them). */
  surfaceIndexCount: number;
  edges: Edge[];
  /** The look the vertex buffers hold now. */
  look: SurfaceLook;
  /**
   * True when a coarse level was re-lit quickly, from its vertices' own
   * cells (fillLook's 'vertex' shading), and stands in until it is rebuilt
   * with its footprint's shading.
   */
  quickShade: boolean;
}

/** Builds a tile level's buffers for a look. */
export function buildTileLevel(grid: TerrainGrid, tile: Tile, level: number, look: SurfaceLook): TileLevelData {
  const stride = strideOf(level);
  const xs = axisOffsets(tile.spanX, stride);
  const zs = axisOffsets(tile.spanZ, stride);
  const nu = xs.length;
  const nv = zs.length;
  const edges: Edge[] = [];
  let next = nu * nv;
  const addEdge = (top: number[], normal: [number, number, number], inside: boolean, cells: Iterable<number>) => {
    let lowest = Infinity;
    for (const k of cells) {
      const h = grid.heights[k]!;
      if (h < lowest) lowest = h;
    }
    edges.push({ top, normal, first: next, wall: !inside, lowest: lowest === Infinity ? NaN : lowest });
    next += inside ? top.length : 2 * top.length;
  };
  const range = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
  const { cols } = grid;
  const { col0, row0, spanX, spanZ } = tile;
  const rowCells = (row: number) => range(spanX + 1, (t) => row * cols + col0 + t);
  const colCells = (col: number) => range(spanZ + 1, (t) => (row0 + t) * cols + col);
  addEdge(range(nu, (u) => u), [0, 0, -1], tile.north, rowCells(row0));
  addEdge(range(nu, (u) => (nv - 1) * nu + u), [0, 0, 1], tile.south, rowCells(row0 + spanZ));
  addEdge(range(nv, (v) => v * nu), [-1, 0, 0], tile.west, colCells(col0));
  addEdge(range(nv, (v) => v * nu + nu - 1), [1, 0, 0], tile.east, colCells(col0 + spanX));

  const vertexCount = next;
  const data: TileLevelData = {
    tile,
    level,
    stride,
    xs,
    zs,
    vertexCount,
    positions: new Float32Array(3 * vertexCount),
    normals: new Float32Array(3 * vertexCount),
    colors: new Float32Array(3 * vertexCount),
    index: new Uint32Array(0),
    surfaceIndexCount: 0,
    edges,
    look,
    quickShade: false,
  };
  fillHorizontal(grid, data);
  buildIndex(grid, data);
  fillLook(grid, data, look);
  return data;
}

/**
 * Rewrites heights, normals and colours in place for another exaggeration or
 * hillshade (the index stays). `shading`: 'footprint' lights each coarse
 * vertex with the mean of the cells it stands for; 'vertex' with its own
 * cell's, a tenth of the time or less (for a look changed while tiles are
 * on show: the builder rebuilds them properly after).
 */
export function fillLook(grid: TerrainGrid, data: TileLevelData, look: SurfaceLook, shading: 'footprint' | 'vertex' = 'footprint'): void {
  data.look = look;
  const footprint = shading === 'footprint' && data.stride > 1;
  data.quickShade = !footprint && data.stride > 1;
  const { positions, normals, colors, xs, zs, tile } = data;
  const { heights, cols, min } = grid;
  const e = look.exaggeration;
  const { lo, hi, sea } = elevationScale(grid.min, grid.max);
  const span = hi - lo;
  const gain = look.hillshade ? (1 - SHADE_FLOOR) / FLAT_SHADE : 0;
  const rgb = new Float32Array(3);
  let k = 0;
  for (const dz of zs) {
    const j = tile.row0 + dz;
    for (const dx of xs) {
      const i = tile.col0 + dx;
      const h = heights[j * cols + i]!;
      positions[3 * k + 1] = h === h ? (h - min) * e : 0;
      const shade = footprint ? footprintShade(grid, e, i, j, data.stride, normals, 3 * k) : normalAndShade(grid, e, i, j, normals, 3 * k);
      if (h !== h) rgb.set(NODATA_RGB);
      else if (sea && h <= 0) rgb.set(SEA_RGB);
      else sampleRamp((h - lo) / span, rgb, 0);
      const f = look.hillshade ? SHADE_FLOOR + gain * shade : 1;
      colors[3 * k] = toLinear(rgb[0]! * f);
      colors[3 * k + 1] = toLinear(rgb[1]! * f);
      colors[3 * k + 2] = toLinear(rgb[2]! * f);
      k++;
    }
  }
  const base = -baseDepth(grid, e);
  const drop = skirtMargin(grid);
  for (const edge of data.edges) {
    edge.top.forEach((top, t) => {
      if (edge.wall) {
        const y = heights[cellOf(grid, data, top)]!;
        const upper = edge.first + 2 * t;
        positions[3 * upper + 1] = y === y ? (y - min) * e : base;
        positions[3 * upper + 4] = base;
        normals.set(edge.normal, 3 * upper);
        normals.set(edge.normal, 3 * upper + 3);
        colors.set(WALL_COLORS, 3 * upper);
      } else {
        const under = edge.first + t;
        positions[3 * under + 1] = edge.lowest === edge.lowest ? (edge.lowest - min) * e - drop : 0;
        normals.copyWithin(3 * under, 3 * top, 3 * top + 3);
        colors.copyWithin(3 * under, 3 * top, 3 * top + 3);
      }
    });
  }
}

/** Samples across a coarse vertex's footprint, at most, each way from its centre. */
const FOOTPRINT_SAMPLES = 7;
const footprintNormal = new Float32Array(3);

/**
 * The normal and hillshade of a vertex of a level at `stride`: the
 * full-resolution ones averaged over the cells its triangles span (a tent,
 * `stride` - 1 cells each way), written to normals[offset..offset+2]. A
 * single-cell pit or spike darkens only its own share of the vertex's area,
 * where the vertex's own full-resolution normal would carry it over all of it.
 */
function footprintShade(grid: TerrainGrid, exaggeration: number, i: number, j: number, stride: number, normals: Float32Array, offset: number): number {
  const { cols, rows, heights } = grid;
  const step = Math.max(1, Math.floor(stride / FOOTPRINT_SAMPLES));
  const reach = Math.floor((stride - 1) / step) * step;
  let nx = 0;
  let ny = 0;
  let nz = 0;
  let shade = 0;
  let weight = 0;
  for (let dj = -reach; dj <= reach; dj += step) {
    const jj = j + dj;
    if (jj < 0 || jj >= rows) continue;
    for (let di = -reach; di <= reach; di += step) {
      const ii = i + di;
      if (ii < 0 || ii >= cols || heights[jj * cols + ii] !== heights[jj * cols + ii]) continue;
      const w = (stride - Math.abs(di)) * (stride - Math.abs(dj));
      shade += w * normalAndShade(grid, exaggeration, ii, jj, footprintNormal, 0);
      nx += w * footprintNormal[0]!;
      ny += w * footprintNormal[1]!;
      nz += w * footprintNormal[2]!;
      weight += w;
    }
  }
  if (weight === 0) return normalAndShade(grid, exaggeration, i, j, normals, offset);
  const inv = 1 / Math.hypot(nx, ny, nz);
  normals[offset] = nx * inv;
  normals[offset + 1] = ny * inv;
  normals[offset + 2] = nz * inv;
  return shade / weight;
}

/** Depth of the block's flat base below the lowest point, in world units (the walls reach down to it). */
export function baseDepth(grid: TerrainGrid, exaggeration: number): number {
  const extent = Math.max((grid.cols - 1) * grid.dx, (grid.rows - 1) * grid.dz);
  return Math.max(0.1 * (grid.max - grid.min) * exaggeration, 0.02 * extent);
}

/** How far a skirt reaches below the lowest cell of its edge: half a cell, a margin against depth-precision seams. */
function skirtMargin(grid: TerrainGrid): number {
  return 0.5 * Math.min(grid.dx, grid.dz);
}

/** The DEM cell (row-major index) of a surface vertex. */
function cellOf(grid: TerrainGrid, data: TileLevelData, vertex: number): number {
  const nu = data.xs.length;
  const u = vertex % nu;
  const v = (vertex - u) / nu;
  return (data.tile.row0 + data.zs[v]!) * grid.cols + data.tile.col0 + data.xs[u]!;
}

/** x and z of every vertex: the surface grid's, repeated under the edges. */
function fillHorizontal(grid: TerrainGrid, data: TileLevelData): void {
  const { positions, xs, zs, tile } = data;
  const x0 = -((grid.cols - 1) * grid.dx) / 2;
  const z0 = -((grid.rows - 1) * grid.dz) / 2;
  let k = 0;
  for (const dz of zs) {
    for (const dx of xs) {
      positions[3 * k] = x0 + (tile.col0 + dx) * grid.dx;
      positions[3 * k + 2] = z0 + (tile.row0 + dz) * grid.dz;
      k++;
    }
  }
  for (const edge of data.edges) {
    const copies = edge.wall ? 2 : 1;
    edge.top.forEach((top, t) => {
      for (let c = 0; c < copies; c++) {
        const v = edge.first + copies * t + c;
        positions[3 * v] = positions[3 * top]!;
        positions[3 * v + 2] = positions[3 * top + 2]!;
      }
    });
  }
}

/**
 * Surface: two triangles per quad, counter-clockwise seen from above, none
 * touching nodata (holes stay holes). Then each skirt quad both ways round,
 * and each wall quad facing out.
 */
function buildIndex(grid: TerrainGrid, data: TileLevelData): void {
  const { xs, zs, tile } = data;
  const nu = xs.length;
  const nv = zs.length;
  const { heights, cols } = grid;
  const ok = new Uint8Array(nu * nv);
  for (let v = 0, k = 0; v < nv; v++) {
    const row = (tile.row0 + zs[v]!) * cols + tile.col0;
    for (let u = 0; u < nu; u++, k++) ok[k] = heights[row + xs[u]!] === heights[row + xs[u]!] ? 1 : 0;
  }
  const skirtQuads = data.edges.reduce((n, e) => n + (e.top.length - 1), 0);
  const index = data.vertexCount > 65535 ? new Uint32Array(6 * (nu - 1) * (nv - 1) + 12 * skirtQuads) : new Uint16Array(6 * (nu - 1) * (nv - 1) + 12 * skirtQuads);
  let n = 0;
  for (let v = 0; v < nv - 1; v++) {
    for (let u = 0; u < nu - 1; u++) {
      const a = v * nu + u;
      const b = a + 1;
      const c = a + nu;
      const d = c + 1;
      if (ok[a] && ok[b] && ok[c]) {
        index[n++] = a;
        index[n++] = c;
        index[n++] = b;
      }
      if (ok[b] && ok[c] && ok[d]) {
        index[n++] = b;
        index[n++] = c;
        index[n++] = d;
      }
    }
  }
  data.surfaceIndexCount = n;
  for (const edge of data.edges) {
    const { top, first } = edge;
    if (edge.wall) {
      const flip = windsInward(data.positions, top, edge.normal);
      for (let t = 0; t < top.length - 1; t++) {
        const top0 = first + 2 * t;
        const foot0 = top0 + 1;
        const top1 = top0 + 2;
        const foot1 = top0 + 3;
        if (flip) n = push(index, n, top0, top1, foot0, foot0, top1, foot1);
        else n = push(index, n, top0, foot0, top1, foot0, foot1, top1);
      }
    } else {
      for (let t = 0; t < top.length - 1; t++) {
        const a = top[t]!;
        const b = top[t + 1]!;
        if (!ok[a] || !ok[b]) continue;
        const a2 = first + t;
        const b2 = a2 + 1;
        n = push(index, n, a, a2, b, a2, b2, b);
        n = push(index, n, a, b, a2, a2, b, b2);
      }
    }
  }
  data.index = n === index.length ? index : index.slice(0, n);
}

function push(index: Uint16Array | Uint32Array, n: number, ...values: number[]): number {
  for (const v of values) index[n++] = v;
  return n;
}

/** True when a wall quad's order top0, foot0, top1 faces inward for this edge. */
function windsInward(positions: Float32Array, top: number[], normal: [number, number, number]): boolean {
  if (top.length < 2) return false;
  const ex = positions[3 * top[1]!]! - positions[3 * top[0]!]!;
  const ez = positions[3 * top[1]! + 2]! - positions[3 * top[0]! + 2]!;
  // (down) x (along) = (0,-1,0) x (ex,0,ez) = (-ez, 0, ex)
  return -ez * normal[0] + ex * normal[2] < 0;
}
