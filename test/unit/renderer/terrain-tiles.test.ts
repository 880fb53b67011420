/**
 * Terrain tiles and their levels: the layout covers the DEM with shared
 * edges, a level's heights are the DEM's own samples, normals and colours
 * come from full-resolution neighbours (averaged over a coarse vertex's cells), skirts
 * hang below whatever a neighbour at another level draws on the shared
 * edge, walls reach the base on the outline of the data (the border and
 * nodata's edges), and nodata leaves holes.
 */
import { describe, expect, it } from 'vitest';
import { baseDepth, buildTileLevel, fillLook, type TileLevelData } from '../../../renderer/src/scene/terrain-tile-level';
import type { TerrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { axisOffsets, levelCount, levelVertices, tileLayout } from '../../../renderer/src/scene/terrain-tiles';

const LOOK = { exaggeration: 2.5, hillshade: true };

/** Rough ground: waves plus a deterministic hash, so every level differs from its neighbours. */
function roughGrid(nx: number, ny: number, holes = false): TerrainGrid {
  const heights = new Float32Array(nx * ny);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const hash = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
      let h = 200 + 60 * Math.sin(i / 9) * Math.cos(j / 13) + 25 * (hash - Math.floor(hash));
      if (holes && (i - 300) ** 2 + (j - 40) ** 2 < 30) h = NaN;
      heights[j * nx + i] = h;
      if (h < min) min = h;
      if (h > max) max = h;
    }
  }
  return { cols: nx, rows: ny, dx: 20, dz: 25, heights, min, max };
}

function surfaceY(data: TileLevelData, u: number, v: number): number {
  return data.positions[3 * (v * data.xs.length + u) + 1]!;
}

describe('tile layout', () => {
  it('covers the DEM with tiles that share their edge vertices', () => {
    const { tiles, tilesX, tilesZ } = tileLayout(700, 300);
    expect([tilesX, tilesZ]).toEqual([3, 2]);
    expect(tiles.map((t) => [t.col0, t.spanX])).toEqual([[0, 256], [256, 256], [512, 187], [0, 256], [256, 256], [512, 187]]);
    expect(tiles.map((t) => [t.row0, t.spanZ]).slice(2, 4)).toEqual([[0, 256], [256, 43]]);
    expect(tiles[4]).toMatchObject({ north: true, south: false, west: true, east: true });
    expect(tileLayout(257, 257).tiles).toHaveLength(1);
    expect(tileLayout(1, 1).tiles[0]).toMatchObject({ spanX: 0, spanZ: 0, levels: 1 });
  });

  it('samples every stride-th cell and always the tile edge', () => {
    expect(axisOffsets(256, 64)).toEqual([0, 64, 128, 192, 256]);
    expect(axisOffsets(187, 64)).toEqual([0, 64, 128, 187]);
    expect(axisOffsets(3, 4)).toEqual([0, 3]);
    expect(levelCount(256)).toBe(9);
    expect(levelCount(187)).toBe(9);
    expect(levelCount(2)).toBe(2);
  });
});

describe('tile levels', () => {
  const grid = roughGrid(700, 300);
  const { tiles } = tileLayout(grid.cols, grid.rows);

  it('holds the DEM samples as heights at level 2 (stride 4), and the vertices its count says', () => {
    const tile = tiles[4]!;
    const data = buildTileLevel(grid, tile, 2, LOOK);
    expect(data.xs).toEqual(axisOffsets(tile.spanX, 4));
    expect(data.vertexCount).toBe(levelVertices(tile, 2));
    data.zs.forEach((dz, v) =>
      data.xs.forEach((dx, u) => {
        const h = grid.heights[(tile.row0 + dz) * grid.cols + tile.col0 + dx]!;
        expect(surfaceY(data, u, v)).toBeCloseTo((h - grid.min) * LOOK.exaggeration, 3);
        const k = v * data.xs.length + u;
        expect(data.positions[3 * k]).toBeCloseTo(-((grid.cols - 1) * grid.dx) / 2 + (tile.col0 + dx) * grid.dx, 6);
        expect(data.positions[3 * k + 2]).toBeCloseTo(-((grid.rows - 1) * grid.dz) / 2 + (tile.row0 + dz) * grid.dz, 6);
      }),
    );
  });

  it('lights a coarse vertex by the mean of the full-resolution normals over the cells it spans', () => {
    const tile = tiles[1]!;
    const fine = buildTileLevel(grid, tile, 0, LOOK);
    const coarse = buildTileLevel(grid, tile, 3, LOOK);
    const stride = coarse.stride;
    const fineNormal = (dx: number, dz: number, c: number) => fine.normals[3 * (dz * fine.xs.length + dx) + c]!;
    let checked = 0;
    coarse.zs.forEach((dz, v) =>
      coarse.xs.forEach((dx, u) => {
        // Vertices whose footprint lies in the tile (the fine level's normals hold it).
        if (dx < stride || dz < stride || dx > tile.spanX - stride || dz > tile.spanZ - stride) return;
        // The tent the vertex's triangles span: weight (stride - |di|) (stride - |dj|).
        const mean = [0, 0, 0];
        for (let dj = 1 - stride; dj < stride; dj++) {
          for (let di = 1 - stride; di < stride; di++) {
            const w = (stride - Math.abs(di)) * (stride - Math.abs(dj));
            for (let c = 0; c < 3; c++) mean[c] = mean[c]! + w * fineNormal(dx + di, dz + dj, c);
          }
        }
        const length = Math.hypot(mean[0]!, mean[1]!, mean[2]!);
        const k = v * coarse.xs.length + u;
        for (let c = 0; c < 3; c++) expect(coarse.normals[3 * k + c]).toBeCloseTo(mean[c]! / length, 5);
        checked++;
      }),
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('lets a single-cell pit darken a coarse vertex beside it only by its share of the vertex’s cells', () => {
    const flat: TerrainGrid = { cols: 65, rows: 65, dx: 10, dz: 10, heights: new Float32Array(65 * 65).fill(100), min: 0, max: 100 };
    // A pit between the stride-4 vertices at columns 32 and 36.
    flat.heights[32 * 65 + 33] = 0;
    const [tile] = tileLayout(65, 65).tiles;
    const level = buildTileLevel(flat, tile!, 2, LOOK);
    const u = level.xs.indexOf(32);
    const v = level.zs.indexOf(32);
    const k = v * level.xs.length + u;
    // Stride 1 gives this vertex the pit's wall, all but vertical; here it stays within a few degrees of upright.
    const fine = buildTileLevel(flat, tile!, 0, LOOK);
    const f = 32 * fine.xs.length + 32;
    expect(fine.normals[3 * f + 1]).toBeLessThan(0.2);
    expect(level.normals[3 * k + 1]).toBeGreaterThan(0.99);
    // Its colour: the flat ground's, darkened by the share of its tent the pit's walls take (42 of 256), not black.
    const ground = level.colors[3 * (v * level.xs.length + level.xs.indexOf(8)) + 1]!;
    expect(fine.colors[3 * f + 1]).toBeLessThan(0.5 * ground);
    expect(level.colors[3 * k + 1]).toBeGreaterThan(0.8 * ground);
  });

  it('hangs each skirt below what a neighbour at any level draws on the shared edge', () => {
    // Tile 1's east edge is tile 2's west edge; tile 1's south edge is tile 4's north edge.
    for (const [a, b, edgeA, edgeB] of [
      [1, 2, 3, 2],
      [1, 4, 1, 0],
    ] as const) {
      for (let la = 0; la < 4; la++) {
        const mine = buildTileLevel(grid, tiles[a]!, la, LOOK);
        const skirt = mine.edges[edgeA]!;
        expect(skirt.wall).toBe(false);
        const bottoms = skirt.top.map((_, t) => mine.positions[3 * (skirt.first + t) + 1]!);
        for (let lb = 0; lb < 6; lb++) {
          const theirs = buildTileLevel(grid, tiles[b]!, lb, LOOK);
          const edge = theirs.edges[edgeB]!.top.map((k) => theirs.positions[3 * k + 1]!);
          expect(Math.max(...bottoms)).toBeLessThan(Math.min(...edge));
        }
        // Skirt vertices sit under their edge vertices, with the same normal and colour.
        skirt.top.forEach((k, t) => {
          const s = skirt.first + t;
          expect([mine.positions[3 * s], mine.positions[3 * s + 2]]).toEqual([mine.positions[3 * k], mine.positions[3 * k + 2]]);
          expect(mine.colors.slice(3 * s, 3 * s + 3)).toEqual(mine.colors.slice(3 * k, 3 * k + 3));
        });
      }
    }
  });

  /** Every wall triangle's face normal, checked against its segment's outward normal; returns how many. */
  function wallTriangles(data: TileLevelData): number {
    const { index, positions, surfaceIndexCount, walls } = data;
    const wallStart = walls.first;
    let count = 0;
    for (let n = surfaceIndexCount; n < index.length; n += 3) {
      const [a, b, c] = [index[n]!, index[n + 1]!, index[n + 2]!];
      if (a < wallStart) continue; // a skirt's
      const p = (v: number, axis: number) => positions[3 * v + axis]!;
      const e1 = [p(b, 0) - p(a, 0), p(b, 1) - p(a, 1), p(b, 2) - p(a, 2)];
      const e2 = [p(c, 0) - p(a, 0), p(c, 1) - p(a, 1), p(c, 2) - p(a, 2)];
      const nx = e1[1]! * e2[2]! - e1[2]! * e2[1]!;
      const nz = e1[0]! * e2[1]! - e1[1]! * e2[0]!;
      const w = Math.floor((a - wallStart) / 4);
      expect(walls.normals[2 * w]! * nx + walls.normals[2 * w + 1]! * nz).toBeGreaterThan(0);
      expect(data.normals[3 * a]! * nx + data.normals[3 * a + 2]! * nz).toBeGreaterThan(0);
      count++;
    }
    return count;
  }

  it('stands walls on the border from the edge down to the base, facing out', () => {
    const data = buildTileLevel(grid, tiles[0]!, 1, LOOK);
    const base = -baseDepth(grid, LOOK.exaggeration);
    expect(data.edges[0]!.wall).toBe(true);
    const { ends, normals, first } = data.walls;
    // A corner tile with no nodata: one segment per lattice step along its north and west edges.
    expect(ends.length / 2).toBe(data.xs.length - 1 + data.zs.length - 1);
    for (let w = 0; w < ends.length / 2; w++) {
      const north = normals[2 * w + 1] === -1;
      expect(north || normals[2 * w] === -1, 'north (-z) or west (-x)').toBe(true);
      for (let end = 0; end < 2; end++) {
        const top = first + 4 * w + 2 * end;
        const k = ends[2 * w + end]!;
        expect(data.positions[3 * top + 1]).toBeCloseTo(data.positions[3 * k + 1]!, 3);
        expect(data.positions[3 * top + 4]).toBeCloseTo(base, 3);
        expect([data.positions[3 * top], data.positions[3 * top + 2]]).toEqual([data.positions[3 * k], data.positions[3 * k + 2]]);
        // On the edge it faces: row 0 for north, column 0 for west.
        expect(north ? Math.floor(k / data.xs.length) : k % data.xs.length).toBe(0);
      }
    }
    expect(wallTriangles(data)).toBe(2 * (ends.length / 2));
    expect(data.vertexCount).toBe(levelVertices(tiles[0]!, 1));
  });

  it('stands walls on the edge of nodata too: a reprojected DEM\u2019s slanted border and a hole, every outline edge once', () => {
    // A slanted sliver of nodata along the west (as a reprojection leaves) and a round hole.
    const holed = roughGrid(700, 300, true);
    for (let j = 0; j < holed.rows; j++) for (let i = 0; i < holed.cols; i++) if (i < 40 - j / 10) holed.heights[j * holed.cols + i] = NaN;
    for (const [t, level] of [
      [0, 0],
      [0, 2],
      [1, 0],
      [1, 3],
    ] as const) {
      const tile = tileLayout(holed.cols, holed.rows).tiles[t]!;
      const data = buildTileLevel(holed, tile, level, LOOK);
      const nu = data.xs.length;
      // Every surface triangle edge, counted by the triangles that share it: outline edges have one.
      const uses = new Map<string, number>();
      const key = (p: number, q: number) => (p < q ? `${p}-${q}` : `${q}-${p}`);
      for (let n = 0; n < data.surfaceIndexCount; n += 3) {
        const tri = [data.index[n]!, data.index[n + 1]!, data.index[n + 2]!];
        for (let e = 0; e < 3; e++) uses.set(key(tri[e]!, tri[(e + 1) % 3]!), (uses.get(key(tri[e]!, tri[(e + 1) % 3]!)) ?? 0) + 1);
      }
      const onTileEdge = (p: number, q: number) => {
        const [up, vp, uq, vq] = [p % nu, Math.floor(p / nu), q % nu, Math.floor(q / nu)];
        const side = (a: number, b: number, last: number) => (a === 0 && b === 0) || (a === last && b === last);
        return side(up, uq, nu - 1) || side(vp, vq, data.zs.length - 1);
      };
      const outlineInside = [...uses].filter(([k, n]) => n === 1 && !onTileEdge(...(k.split('-').map(Number) as [number, number])));
      const walls = new Set<string>();
      for (let w = 0; w < data.walls.ends.length / 2; w++) {
        const k = key(data.walls.ends[2 * w]!, data.walls.ends[2 * w + 1]!);
        expect(walls.has(k), `wall ${k} once`).toBe(false);
        walls.add(k);
      }
      // Inside the tile, the walls are exactly the outline; on its edges, only the terrain's border and nodata stand walls.
      for (const [k] of outlineInside) expect(walls.has(k), `outline edge ${k} has a wall`).toBe(true);
      const inside = [...walls].filter((k) => !onTileEdge(...(k.split('-').map(Number) as [number, number])));
      expect(inside.length).toBe(outlineInside.length);
      if (t === 0) expect(inside.length, 'the sliver stands walls').toBeGreaterThan(0);
      if (t === 1 && level === 0) expect(inside.length, 'the hole stands walls').toBeGreaterThan(0);
      expect(wallTriangles(data)).toBe(2 * walls.size);
    }
  });

  it('puts the surface triangles first, and leaves out those touching nodata', () => {
    const holed = roughGrid(700, 300, true);
    const tile = tileLayout(holed.cols, holed.rows).tiles[1]!;
    const data = buildTileLevel(holed, tile, 0, LOOK);
    const quads = tile.spanX * tile.spanZ;
    expect(data.surfaceIndexCount).toBeLessThan(6 * quads);
    expect(data.surfaceIndexCount).toBeGreaterThan(6 * quads - 6 * 200);
    let bad = 0;
    for (let n = 0; n < data.surfaceIndexCount; n++) {
      const v = data.index[n]!;
      const u = v % data.xs.length;
      const w = (v - u) / data.xs.length;
      if (w >= data.zs.length || Number.isNaN(holed.heights[(tile.row0 + data.zs[w]!) * holed.cols + tile.col0 + data.xs[u]!])) bad++;
    }
    expect(bad, 'surface triangles on nodata or on skirt vertices').toBe(0);
  });

  it('rewrites heights and colours in place for another exaggeration or hillshade', () => {
    const tile = tiles[0]!;
    const data = buildTileLevel(grid, tile, 2, LOOK);
    const positions = data.positions;
    fillLook(grid, data, { exaggeration: 5, hillshade: false });
    expect(data.positions).toBe(positions);
    const again = buildTileLevel(grid, tile, 2, { exaggeration: 5, hillshade: false });
    expect(data.positions).toEqual(again.positions);
    expect(data.colors).toEqual(again.colors);
    expect(data.normals).toEqual(again.normals);
  });
});
