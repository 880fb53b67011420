// Velocity arrows: one InstancedMesh whose instances are rewritten in place per frame (pointing downstream, longer and
// pinker when faster, on the water surface), only where the water is deep enough and moving; and they free their GPU objects.
import { Color, SRGBColorSpace, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { ARROW_FULL_SPEED, ARROW_RAMP, ARROWS_PER_SIDE, FlowArrows, type ArrowFrame } from '../../../renderer/src/scene/FlowArrows';

const nx = 4;
const ny = 4;
const frame: ArrowFrame = { x0: -15, z0: -15, cellX: 10, cellZ: 10, maxCol: nx - 1, maxRow: ny - 1 };
const elevation = new Float32Array(nx * ny).fill(105);
elevation[3] = NaN; // a nodata cell gets no arrow site

/** depth, u, v with water in a few cells: (1,1) east at 1 m/s, (2,1) north at 2 m/s, (3,1) too shallow, (1,2) still. */
function flow() {
  const depth = new Float32Array(nx * ny);
  const u = new Float32Array(nx * ny);
  const v = new Float32Array(nx * ny);
  depth[5] = 0.5;
  u[5] = 1;
  depth[6] = 0.5;
  v[6] = 2;
  depth[7] = 0.04;
  u[7] = 1;
  depth[9] = 1;
  return { depth, u, v };
}

/** Where instance i puts the arrow's tail-to-tip axis (+x of the arrow) and its centre. */
function instance(arrows: FlowArrows, i: number) {
  const m = arrows.mesh.instanceMatrix.array as Float32Array;
  const e = m.subarray(16 * i, 16 * i + 16);
  return { axis: new Vector3(e[0], e[1], e[2]), centre: new Vector3(e[12], e[13], e[14]) };
}

describe('FlowArrows', () => {
  it('has one block per cell on a small grid, and nothing drawn before a flow', () => {
    const arrows = new FlowArrows(frame, elevation, nx, ny, 100, 2);
    expect(Math.round(Math.max(nx, ny) / ARROWS_PER_SIDE)).toBe(0); // stride 1 here
    expect(arrows.blocks).toBe(16);
    expect(arrows.drawn).toBe(0);
    expect(arrows.mesh.visible).toBe(false);
  });

  it("puts each block's arrow on its cell of largest discharge, tilted along the surface; none on nodata", () => {
    const n = 2 * ARROWS_PER_SIDE; // stride 2: blocks of 2 x 2 cells
    const big: ArrowFrame = { x0: 0, z0: 0, cellX: 10, cellZ: 10, maxCol: n - 1, maxRow: n - 1 };
    const slope = Float32Array.from({ length: n * n }, (_, i) => 200 - (i % n)); // 1 m lower per cell eastwards
    slope[n + 3] = NaN;
    const arrows = new FlowArrows(big, slope, n, n, 100, 1);
    expect(arrows.blocks).toBe(ARROWS_PER_SIDE ** 2);
    const depth = new Float32Array(n * n);
    const u = new Float32Array(n * n);
    const v = new Float32Array(n * n);
    // Block (0, 0): 0.1 m^2/s at (0, 0), 0.5 at (1, 1). Block (1, 0): water only on the nodata cell (3, 1).
    [depth[0], u[0]] = [0.1, 1];
    [depth[n + 1], u[n + 1]] = [0.5, 1];
    [depth[n + 3], u[n + 3]] = [1, 1];
    arrows.setFlow(depth, u, v);
    expect(arrows.drawn).toBe(1);
    const { axis, centre } = instance(arrows, 0);
    expect([centre.x, centre.z]).toEqual([10, 10]);
    // Pointing east, downhill: the tip lower than the tail by the fall over the arrow's length.
    const length = 0.8 * 2 * 10 * (0.35 + 0.65 * 0.5);
    expect(axis.x).toBeCloseTo(length, 5);
    expect(axis.y).toBeCloseTo(-2 * Math.round((0.5 * length) / 10), 5);
  });

  it('draws arrows only where water is 5 cm deep and moving, pointing downstream, sized and coloured by speed', () => {
    const arrows = new FlowArrows(frame, elevation, nx, ny, 100, 2);
    const { depth, u, v } = flow();
    arrows.setFlow(depth, u, v);
    expect(arrows.drawn).toBe(2);
    expect(arrows.mesh.count).toBe(2);
    const full = 0.8 * 10; // 0.8 of the spacing between arrows (1 cell of 10 m)

    const east = instance(arrows, 0);
    expect(east.centre.x).toBeCloseTo(-5, 6); // column 1
    expect(east.centre.z).toBeCloseTo(-5, 6); // row 1
    // On the water: (bed 105 - base 100 + depth 0.5) x exaggeration 2, lifted a little.
    expect(east.centre.y).toBeGreaterThan(11);
    expect(east.centre.y).toBeLessThan(11 + 0.05 * full);
    expect(east.axis.x).toBeCloseTo(full * (0.35 + 0.65 * (1 / ARROW_FULL_SPEED)), 5);
    expect(Math.abs(east.axis.z)).toBeLessThan(1e-9);

    const north = instance(arrows, 1);
    expect(north.centre.x).toBeCloseTo(5, 6);
    // North is -z in the world; full speed, full length.
    expect(north.axis.z).toBeCloseTo(-full, 5);
    expect(Math.abs(north.axis.x)).toBeLessThan(1e-6);

    // Colours: the fast arrow takes the ramp's last colour (linear light of the sRGB stop).
    const colors = arrows.mesh.instanceColor!.array as Float32Array;
    const magenta = new Color().setRGB(...ARROW_RAMP.at(-1)!.rgb, SRGBColorSpace);
    expect(colors[3]).toBeCloseTo(magenta.r, 6);
    expect(colors[4]).toBeCloseTo(magenta.g, 6);
    expect(colors[5]).toBeCloseTo(magenta.b, 6);
    expect(colors[1]).toBeGreaterThan(colors[4]!); // the slower one is paler
  });

  it('rewrites the same buffers for the next frame, and follows exaggeration and the switch', () => {
    const arrows = new FlowArrows(frame, elevation, nx, ny, 100, 2);
    const { depth, u, v } = flow();
    arrows.setFlow(depth, u, v);
    const matrices = arrows.mesh.instanceMatrix.array;
    const geometry = arrows.mesh.geometry;
    const version = arrows.mesh.instanceMatrix.version;

    depth[6] = 0; // the north arrow's water is gone
    arrows.setFlow(depth, u, v);
    expect(arrows.drawn).toBe(1);
    expect(arrows.mesh.instanceMatrix.array).toBe(matrices);
    expect(arrows.mesh.geometry).toBe(geometry);
    expect(arrows.mesh.instanceMatrix.version).toBeGreaterThan(version);

    arrows.setExaggeration(4);
    expect(instance(arrows, 0).centre.y).toBeGreaterThan(22);

    arrows.setVisible(false);
    expect(arrows.mesh.visible).toBe(false);
    expect(arrows.drawn).toBe(0);
    arrows.setVisible(true);
    expect(arrows.drawn).toBe(1);
    arrows.setFlow(null);
    expect(arrows.mesh.visible).toBe(false);
  });

  it('disposes its geometry, material and instance buffers', () => {
    const arrows = new FlowArrows(frame, elevation, nx, ny, 100, 2);
    const disposed: string[] = [];
    arrows.mesh.geometry.addEventListener('dispose', () => disposed.push('geometry'));
    arrows.mesh.material.addEventListener('dispose', () => disposed.push('material'));
    arrows.mesh.addEventListener('dispose', () => disposed.push('instances'));
    arrows.dispose();
    expect(disposed.sort()).toEqual(['geometry', 'instances', 'material']);
  });
});
