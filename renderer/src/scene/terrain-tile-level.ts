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
 * - walls on the outline of the drawn surface: from each triangle edge with
 *   no drawn triangle beyond it (the terrain's border, and the edge of
 *   nodata: a reprojected DEM's slivers, a hole) down to the block's flat
 *   base, facing out, in the wall's earth colours. The block stands on the
 *   data's own footprint, whatever its shape.
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

/** One edge of a tile level: its surface vertices in order along the edge, and the skirt under them. */
interface Edge {
  /** Surface vertex indices along the edge, west to east or north to south. */
  top: number[];
  /** Outward horizontal normal. */
  normal: [number, number, number];
  /** First skirt vertex (one per edge vertex); -1 on the terrain's border, which has no skirt. */
  first: number;
  /** On the terrain's border: walls stand there instead (see Walls). */
  wall: boolean;
  /** Lowest DEM height along the whole edge (m; NaN: no data at all): how far the skirt must reach. */
  lowest: number;
}

/** Wall segments on the outline of the drawn surface. */
interface Walls {
  /** Surface vertex pairs (p, q), one per segment. */
  ends: Uint32Array;
  /** Outward horizontal normal (x, z) of each segment. */
  normals: Float32Array;
  /** First wall vertex: four per segment (top and foot at p, then at q). */
  first: number;
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
  walls: Walls;
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
    if (inside) {
      for (const k of cells) {
        const h = grid.heights[k]!;
        if (h < lowest) lowest = h;
      }
    }
    edges.push({ top, normal, first: inside ? next : -1, wall: !inside, lowest: lowest === Infinity ? NaN : lowest });
    if (inside) next += top.length;
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
  const walls = outline(grid, tile, stride, xs, zs, next);
  next += 4 * (walls.ends.length / 2);

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
    walls,
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
  const drop = skirtMargin(grid);
  for (const edge of data.edges) {
    if (edge.wall) continue;
    edge.top.forEach((top, t) => {
      const under = edge.first + t;
      positions[3 * under + 1] = edge.lowest === edge.lowest ? (edge.lowest - min) * e - drop : 0;
      normals.copyWithin(3 * under, 3 * top, 3 * top + 3);
      colors.copyWithin(3 * under, 3 * top, 3 * top + 3);
    });
  }
  const base = -baseDepth(grid, e);
  const { ends, first } = data.walls;
  for (let w = 0; w < ends.length / 2; w++) {
    const nx = data.walls.normals[2 * w]!;
    const nz = data.walls.normals[2 * w + 1]!;
    for (let end = 0; end < 2; end++) {
      const top = first + 4 * w + 2 * end;
      // A wall's ends are vertices of drawn triangles: never nodata.
      positions[3 * top + 1] = positions[3 * ends[2 * w + end]! + 1]!;
      positions[3 * top + 4] = base;
      normals.set([nx, 0, nz, nx, 0, nz], 3 * top);
      colors.set(WALL_COLORS, 3 * top);
    }
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

/**
 * The outline of a level's drawn surface as wall segments: each edge of a
 * drawn triangle (buildIndex's: none touches nodata) with no drawn triangle
 * beyond it. Beyond the tile's edge, a neighbour's triangle is judged from
 * the DEM one stride further out (the neighbour may draw another level: a
 * wall there follows the nodata's edge to within a stride); beyond the
 * terrain's border there is none. The first wall vertex is `first`.
 */
function outline(grid: TerrainGrid, tile: Tile, stride: number, xs: number[], zs: number[], first: number): Walls {
  const nu = xs.length;
  const nv = zs.length;
  const { heights, cols, rows, dx, dz } = grid;
  // The level's lattice, one step beyond the tile on each side (-1: beyond the terrain).
  const colAt = (u: number) =>
    u < 0 ? (tile.west ? Math.max(0, tile.col0 - stride) : -1) : u >= nu ? (tile.east ? Math.min(cols - 1, tile.col0 + tile.spanX + stride) : -1) : tile.col0 + xs[u]!;
  const rowAt = (v: number) =>
    v < 0 ? (tile.north ? Math.max(0, tile.row0 - stride) : -1) : v >= nv ? (tile.south ? Math.min(rows - 1, tile.row0 + tile.spanZ + stride) : -1) : tile.row0 + zs[v]!;
  // Data at each lattice point, the ring beyond the tile included: (u, v) at ok[(v + 1) * w + u + 1].
  const w = nu + 2;
  const ok = new Uint8Array(w * (nv + 2));
  for (let v = -1; v <= nv; v++) {
    const j = rowAt(v);
    for (let u = -1; u <= nu; u++) {
      const i = colAt(u);
      const h = i < 0 || j < 0 ? NaN : heights[j * cols + i]!;
      ok[(v + 1) * w + u + 1] = h === h ? 1 : 0;
    }
  }
  const has = (u: number, v: number) => ok[(v + 1) * w + u + 1] === 1;
  // The quad's north-west (a, c, b) and south-east (b, c, d) triangles, as buildIndex draws them.
  const northWest = (u: number, v: number) => has(u, v) && has(u + 1, v) && has(u, v + 1);
  const southEast = (u: number, v: number) => has(u + 1, v) && has(u, v + 1) && has(u + 1, v + 1);
  const ends: number[] = [];
  const normals: number[] = [];
  const wall = (p: number, q: number, nx: number, nz: number) => {
    const norm = Math.hypot(nx, nz);
    ends.push(p, q);
    normals.push(nx / norm, nz / norm);
  };
  // With data at every lattice point of the tile, only quads on its edge can have a wall (against the ring beyond).
  let complete = true;
  for (let v = 0; v < nv && complete; v++) for (let u = 0; u < nu && complete; u++) complete = has(u, v);
  for (let v = 0; v < nv - 1; v++) {
    const innerRow = v > 0 && v < nv - 2;
    for (let u = 0; u < nu - 1; u++) {
      if (complete && innerRow && u > 0 && u < nu - 2) continue;
      const a = v * nu + u;
      const b = a + 1;
      const c = a + nu;
      const d = c + 1;
      // The diagonal's outward normals, from the quad's sides in world units.
      const sx = (xs[u + 1]! - xs[u]!) * dx;
      const sz = (zs[v + 1]! - zs[v]!) * dz;
      const nw = northWest(u, v);
      const se = southEast(u, v);
      if (nw) {
        if (!southEast(u, v - 1)) wall(a, b, 0, -1);
        if (!southEast(u - 1, v)) wall(a, c, -1, 0);
        if (!se) wall(b, c, sz, sx);
      }
      if (se) {
        if (!northWest(u + 1, v)) wall(b, d, 1, 0);
        if (!northWest(u, v + 1)) wall(c, d, 0, 1);
        if (!nw) wall(b, c, -sz, -sx);
      }
    }
  }
  return { ends: Uint32Array.from(ends), normals: Float32Array.from(normals), first };
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
  const copy = (to: number, from: number) => {
    positions[3 * to] = positions[3 * from]!;
    positions[3 * to + 2] = positions[3 * from + 2]!;
  };
  for (const edge of data.edges) if (!edge.wall) edge.top.forEach((top, t) => copy(edge.first + t, top));
  const { ends, first } = data.walls;
  for (let k = 0; k < ends.length; k++) {
    copy(first + 2 * k, ends[k]!);
    copy(first + 2 * k + 1, ends[k]!);
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
  const skirtQuads = data.edges.reduce((n, e) => n + (e.wall ? 0 : e.top.length - 1), 0);
  const wallQuads = data.walls.ends.length / 2;
  const size = 6 * (nu - 1) * (nv - 1) + 12 * skirtQuads + 6 * wallQuads;
  const index = data.vertexCount > 65535 ? new Uint32Array(size) : new Uint16Array(size);
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
    if (edge.wall) continue;
    const { top, first } = edge;
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
  const { positions } = data;
  const { ends, normals, first } = data.walls;
  for (let w = 0; w < wallQuads; w++) {
    const [topP, footP, topQ, footQ] = [first + 4 * w, first + 4 * w + 1, first + 4 * w + 2, first + 4 * w + 3];
    // (down) x (p to q) = (-ez, 0, ex): this winding faces out when it points along the outward normal.
    const ex = positions[3 * ends[2 * w + 1]!]! - positions[3 * ends[2 * w]!]!;
    const ez = positions[3 * ends[2 * w + 1]! + 2]! - positions[3 * ends[2 * w]! + 2]!;
    if (-ez * normals[2 * w]! + ex * normals[2 * w + 1]! > 0) n = push(index, n, topP, footP, topQ, footP, footQ, topQ);
    else n = push(index, n, topP, topQ, footP, footP, topQ, footQ);
  }
  data.index = n === index.length ? index : index.slice(0, n);
}

function push(index: Uint16Array | Uint32Array, n: number, ...values: number[]): number {
  for (const v of values) index[n++] = v;
  return n;
}
