/**
 * The terrain surface as the view uses it: picking on the full-resolution
 * DEM gives exactly the cell a Raycaster on the stride-1 mesh gives (what
 * picking did before level of detail), whatever level is drawn; the surface
 * draws small sites no finer than needed, keeps large ones within the budget, swaps
 * the layers' geometry with the terrain's, caches levels under a cap and
 * frees every geometry it made.
 */
import { BufferAttribute, BufferGeometry, FrontSide, Mesh, MeshBasicMaterial, PerspectiveCamera, Ray, Raycaster, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { intersectGround } from '../../../renderer/src/scene/ground-ray';
import { VERTEX_BUDGET } from '../../../renderer/src/scene/lod-select';
import { LruCache } from '../../../renderer/src/scene/lru-cache';
import { cellFrame, terrainGrid, worldToCell, type TerrainGrid } from '../../../renderer/src/scene/terrain-grid';
import { buildTileLevel } from '../../../renderer/src/scene/terrain-tile-level';
import { TerrainSurface } from '../../../renderer/src/scene/TerrainSurface';
import { testSite as site } from './test-site';

/** The stride-1 mesh picking used before level of detail: one vertex per cell, triangles (a, c, b) and (b, c, d), none on nodata. */
function fullMesh(grid: TerrainGrid, exaggeration: number): Mesh {
  const { cols, rows, heights, min } = grid;
  const frame = cellFrame(grid);
  const positions = new Float32Array(3 * cols * rows);
  for (let k = 0; k < cols * rows; k++) {
    const h = heights[k]!;
    positions.set([frame.x0 + (k % cols) * frame.cellX, h === h ? (h - min) * exaggeration : 0, frame.z0 + Math.floor(k / cols) * frame.cellZ], 3 * k);
  }
  const index = new Uint32Array(6 * (cols - 1) * (rows - 1));
  let n = 0;
  const ok = (k: number) => heights[k] === heights[k];
  for (let j = 0; j < rows - 1; j++) {
    for (let i = 0; i < cols - 1; i++) {
      const a = j * cols + i;
      const [b, c, d] = [a + 1, a + cols, a + cols + 1];
      if (ok(a) && ok(b) && ok(c)) index.set([a, c, b], (n += 3) - 3);
      if (ok(b) && ok(c) && ok(d)) index.set([b, c, d], (n += 3) - 3);
    }
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setIndex(new BufferAttribute(index.slice(0, n), 1));
  return new Mesh(geometry, new MeshBasicMaterial({ side: FrontSide }));
}

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

describe('picking on the full-resolution DEM', () => {
  it('gives the cell a Raycaster on the stride-1 mesh gives, for rays from every side (nodata holes included)', () => {
    const data = site(180, 140, true);
    const grid = terrainGrid(data);
    const frame = cellFrame(grid);
    const exaggeration = 4;
    const mesh = fullMesh(grid, exaggeration);
    const raycaster = new Raycaster();
    const next = random(7);
    const width = (grid.cols - 1) * grid.dx;
    const depth = (grid.rows - 1) * grid.dz;
    let hits = 0;
    for (let n = 0; n < 600; n++) {
      // From a random point above and around the terrain towards a random point near or on it.
      const from = new Vector3((next() - 0.5) * 2 * width, 200 + next() * 6000, (next() - 0.5) * 2 * depth);
      const to = new Vector3((next() - 0.5) * 1.1 * width, next() * 400, (next() - 0.5) * 1.1 * depth);
      const ray = new Ray(from, to.sub(from).normalize());
      raycaster.set(ray.origin, ray.direction);
      const expected = raycaster.intersectObject(mesh, false)[0];
      const point = intersectGround(grid, frame, exaggeration, ray);
      if (!expected) {
        expect(point, `ray ${n}`).toBeNull();
        continue;
      }
      hits++;
      expect(point, `ray ${n}`).not.toBeNull();
      expect(point!.distanceTo(expected.point), `ray ${n}`).toBeLessThan(1e-3);
      expect(worldToCell(frame, point!.x, point!.z)).toEqual(worldToCell(frame, expected.point.x, expected.point.z));
    }
    expect(hits).toBeGreaterThan(300);
  });

  it('ignores the level drawn: a surface drawn coarse picks on the full-resolution heights', () => {
    const surface = new TerrainSurface(site(1601, 1101), { exaggeration: 3, hillshade: true });
    const camera = new PerspectiveCamera(38, 1.5, 10, 1e6);
    camera.position.set(0, 60_000, 1);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld();
    surface.update(camera, 800, Infinity);
    expect(surface.lod().full).toBe(false);
    const mesh = fullMesh(surface.grid, 3);
    const raycaster = new Raycaster();
    for (const [x, z] of [[0.1, -0.2], [-0.3, 0.35], [0.42, 0.4]] as const) {
      raycaster.setFromCamera({ x, y: z } as never, camera);
      const expected = raycaster.intersectObject(mesh, false)[0]!;
      expect(surface.pick(raycaster.ray)).toEqual(worldToCell(surface.frame, expected.point.x, expected.point.z));
    }
    surface.dispose();
  });
});

describe('TerrainSurface', () => {
  const camera = (eye: Vector3, target = new Vector3()) => {
    const c = new PerspectiveCamera(38, 1.5, 10, 1e6);
    c.position.copy(eye);
    c.lookAt(target);
    c.updateMatrixWorld();
    return c;
  };

  it('draws a site within the budget no finer than its error calls for: coarse from afar, stride 1 close by', () => {
    const surface = new TerrainSurface(site(600, 500), { exaggeration: 2, hillshade: true });
    expect(surface.lod()).toMatchObject({ tilesX: 3, tilesZ: 2, full: false });
    surface.update(camera(new Vector3(0, 100_000, 1)), 800, Infinity);
    const far = surface.lod();
    expect(far.pending, 'only the errors, measured by the builder, are awaited').toBeLessThanOrEqual(1);
    expect(Math.min(...far.strides), 'from 100 km up').toBeGreaterThan(1);
    const { x0, z0 } = surface.frame;
    const close = camera(new Vector3(x0 + 300, 400, z0 + 300), new Vector3(x0 + 1500, 0, z0 + 1500));
    surface.update(close, 800, Infinity);
    expect(surface.lod().strides[0], 'the tile under a low camera').toBe(1);
    expect(surface.lod().vertices).toBeGreaterThan(far.vertices);
    surface.dispose();
  });

  it('keeps a large site within the budget, refines where the camera looks, and the layers follow the terrain', () => {
    const surface = new TerrainSurface(site(2305, 2049), { exaggeration: 3, hillshade: true });
    const water = surface.createLayer(new MeshBasicMaterial(), 'water');
    const terrainMeshes = surface.mesh.children as Mesh[];
    const waterMeshes = water.children as Mesh[];
    expect(waterMeshes).toHaveLength(surface.tiles.length);
    // Over the north-west corner, low.
    const { x0, z0 } = surface.frame;
    surface.update(camera(new Vector3(x0 + 1500, 2500, z0 + 1500), new Vector3(x0 + 6000, 0, z0 + 6000)), 800, Infinity);
    const lod = surface.lod();
    expect(lod.pending).toBe(0);
    expect(lod.vertices).toBeLessThanOrEqual(VERTEX_BUDGET);
    expect(lod.strides[0]).toBe(1);
    expect(lod.strides.at(-1)).toBeGreaterThan(1);
    waterMeshes.forEach((mesh, i) => expect(mesh.geometry).toBe(terrainMeshes[i]!.geometry));
    // Layers draw the surface group only: a one-material array.
    expect(Array.isArray(waterMeshes[0]!.material)).toBe(true);
    expect(Array.isArray(terrainMeshes[0]!.material)).toBe(false);
    expect(terrainMeshes[0]!.geometry.groups.map((g) => g.materialIndex)).toEqual([0, 1]);

    // With the default build time per frame, a new view builds a few tiles a frame and shows coarser cached levels meanwhile.
    surface.update(camera(new Vector3(-x0 - 1500, 2500, -z0 - 1500), new Vector3(-x0 - 6000, 0, -z0 - 6000)), 800);
    let frames = 1;
    while (surface.pending > 0 && frames < 200) {
      expect(surface.lod().vertices).toBeLessThanOrEqual(VERTEX_BUDGET);
      surface.update(camera(new Vector3(-x0 - 1500, 2500, -z0 - 1500), new Vector3(-x0 - 6000, 0, -z0 - 6000)), 800);
      frames++;
    }
    expect(surface.pending).toBe(0);
    expect(frames).toBeGreaterThan(2);
    expect(surface.lod().strides.at(-1)).toBe(1);
    expect(surface.lod().strides[0]).toBeGreaterThan(1);
    waterMeshes.forEach((mesh, i) => expect(mesh.geometry).toBe(terrainMeshes[i]!.geometry));

    // Every geometry made is freed on dispose, the ones on show and the cached ones.
    const disposed = new Set<BufferGeometry>();
    const seen = new Set<BufferGeometry>(terrainMeshes.map((m) => m.geometry));
    for (const g of seen) g.addEventListener('dispose', () => disposed.add(g));
    water.dispose();
    expect(water.parent).toBeNull();
    surface.dispose();
    for (const g of seen) expect(disposed.has(g)).toBe(true);
  });

  it('re-lights the levels on show quickly on a look change, then rebuilds them as a fresh build would, freeing the stand-ins', () => {
    const surface = new TerrainSurface(site(2305, 2049), { exaggeration: 3, hillshade: true });
    const meshes = surface.mesh.children as Mesh[];
    const view = camera(new Vector3(0, 40_000, 30_000));
    surface.update(view, 800, Infinity);
    expect(surface.pending).toBe(0);
    const coarse = surface.lod().strides.findIndex((s) => s > 1);
    expect(coarse).toBeGreaterThanOrEqual(0);

    surface.setExaggeration(5);
    // The same geometries, re-lit from each vertex's own cell: stand-ins, counted as pending.
    const standIn = meshes[coarse]!.geometry;
    const freed: BufferGeometry[] = [];
    standIn.addEventListener('dispose', () => freed.push(standIn));
    expect(surface.pending).toBeGreaterThan(0);

    surface.update(view, 800, Infinity);
    expect(surface.pending).toBe(0);
    const rebuilt = meshes[coarse]!.geometry;
    expect(rebuilt).not.toBe(standIn);
    expect(freed).toEqual([standIn]);
    const fresh = buildTileLevel(surface.grid, surface.tiles[coarse]!, Math.log2(surface.lod().strides[coarse]!), { exaggeration: 5, hillshade: true });
    expect(rebuilt.attributes.normal!.array).toEqual(fresh.normals);
    expect(rebuilt.attributes.color!.array).toEqual(fresh.colors);
    expect(rebuilt.attributes.position!.array).toEqual(fresh.positions);
    surface.dispose();
  });
});

describe('LruCache', () => {
  it('drops the least recently used entries over the cap, sparing those in use, and releases them', () => {
    const released: string[] = [];
    const cache = new LruCache<string, { name: string; bytes: number }>(
      10,
      (v) => v.bytes,
      (v) => released.push(v.name),
    );
    for (const name of ['a', 'b', 'c', 'd']) cache.set(name, { name, bytes: 4 });
    cache.get('a');
    cache.trim((v) => v.name === 'b');
    // b is in use; c and d go in use order after it... c first (least recent), then d; a was used last.
    expect(released).toEqual(['c', 'd']);
    expect(cache.bytes).toBe(8);
    expect(cache.has('a') && cache.has('b')).toBe(true);
    cache.clear();
    expect(released.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(cache.count).toBe(0);
  });
});
