// The pieces of the mass-consistent wind solver: the layer operator and the
// multigrid preconditioner are symmetric positive definite, preconditioned
// CG recovers a known solution with iterations that stay nearly flat as the
// grid is refined (plain CG's double), and bad inputs get errors naming the field.
import { describe, expect, it } from 'vitest';
import { applyFivePoint } from '../../../src/physics/atmosphere/wind/five-point';
import { layerOperator } from '../../../src/physics/atmosphere/wind/layer-operator';
import { solveMassConsistentWind } from '../../../src/physics/atmosphere/wind/mass-consistent';
import { AggregationMultigrid } from '../../../src/physics/atmosphere/wind/multigrid';
import { pcg, type SpdOperator } from '../../../src/physics/atmosphere/wind/pcg';

function bumpyLayer(nx: number, ny: number): Float64Array {
  return Float64Array.from({ length: nx * ny }, (_, k) => 600 + 300 * Math.sin((k % nx) / 7) * Math.cos(Math.floor(k / nx) / 5) + ((k * 7919) % 13));
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const random = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => ((Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453) % 1));

function operators(nx: number, ny: number, d: number): { mg: SpdOperator; plain: SpdOperator } {
  const A = layerOperator(nx, ny, d, d * 1.3, bumpyLayer(nx, ny));
  const multigrid = new AggregationMultigrid(A);
  const apply = (x: Float64Array, out: Float64Array) => applyFivePoint(A, x, out);
  return { mg: { apply, precondition: (r, z) => multigrid.precondition(r, z) }, plain: { apply, precondition: (r, z) => z.set(r) } };
}

describe('layer operator and preconditioner', () => {
  // Odd sizes: aggregates at the east and south edges are 1 x 2, 2 x 1, 1 x 1.
  const nx = 23;
  const ny = 17;
  const { mg } = operators(nx, ny, 50);
  const x = random(nx * ny, 1);
  const y = random(nx * ny, 2);

  it.each([
    ['A', (v: Float64Array, out: Float64Array) => mg.apply(v, out)],
    ['the V-cycle', (v: Float64Array, out: Float64Array) => mg.precondition(v, out)],
  ])('%s is symmetric and positive definite', (_name, f) => {
    const fx = new Float64Array(nx * ny);
    const fy = new Float64Array(nx * ny);
    f(x, fx);
    f(y, fy);
    expect(Math.abs(dot(y, fx) - dot(x, fy)) / Math.abs(dot(y, fx))).toBeLessThan(1e-12);
    expect(dot(x, fx)).toBeGreaterThan(0);
    expect(dot(y, fy)).toBeGreaterThan(0);
  });

  it('has zero row sums inside and positive ones at the edges (lambda = 0 beyond them)', () => {
    const a1 = new Float64Array(nx * ny);
    mg.apply(new Float64Array(nx * ny).fill(1), a1);
    expect(a1[Math.floor(ny / 2) * nx + Math.floor(nx / 2)]).toBeCloseTo(0, 9);
    expect(a1[0]!).toBeGreaterThan(0);
  });
});

describe('preconditioned conjugate gradients', () => {
  it('recovers a known solution; multigrid iterations stay nearly flat from 48^2 to 192^2 cells while plain CG needs ~4x more', async () => {
    const counts: number[][] = [];
    for (const n of [48, 96, 192]) {
      const { mg, plain } = operators(n, n, 30);
      const solution = random(n * n, 3);
      const b = new Float64Array(n * n);
      mg.apply(solution, b);
      const m = await pcg(mg, b, { tolerance: 1e-10, maxIterations: 5000 });
      const c = await pcg(plain, b, { tolerance: 1e-10, maxIterations: 5000 });
      expect(m.converged && c.converged).toBe(true);
      expect(m.relativeResidual).toBeLessThan(1e-10);
      expect(Math.max(...m.x.map((v, i) => Math.abs(v - solution[i]!)))).toBeLessThan(1e-6);
      counts.push([m.iterations, c.iterations]);
    }
    console.log(`[pcg] iterations (multigrid, plain CG) at 48^2, 96^2, 192^2: ${counts.map((c) => `(${c.join(', ')})`).join(' ')}`);
    expect(counts[2]![0]!).toBeLessThan(1.5 * counts[0]![0]!);
    expect(counts[2]![1]!).toBeGreaterThan(3 * counts[0]![1]!);
    expect(counts[2]![0]!).toBeLessThan(counts[2]![1]! / 5);
  });

  it('returns zero at once for b = 0, and stops at maxIterations without claiming convergence', async () => {
    const { mg } = operators(40, 30, 30);
    const zero = await pcg(mg, new Float64Array(1200), { tolerance: 1e-8, maxIterations: 10 });
    expect([zero.iterations, zero.converged, zero.relativeResidual]).toEqual([0, true, 0]);
    const short = await pcg(mg, random(1200, 4), { tolerance: 1e-14, maxIterations: 3 });
    expect(short.iterations).toBe(3);
    expect(short.converged).toBe(false);
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { mg } = operators(10, 10, 30);
    await expect(pcg(mg, random(100, 5), { tolerance: 1e-8, maxIterations: 10, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('solver input checks', () => {
  const terrain = new Float32Array(12).fill(100);
  const wind = new Float32Array(12).fill(1);
  it.each([
    [{ nx: 4, ny: 3, dx: 0, dy: 10, terrain }, wind, {}, /wind: grid: cell size 0 x 10 m must be positive/],
    [{ nx: 4, ny: 3, dx: 10, dy: 10, terrain: terrain.map((v, i) => (i === 5 ? NaN : v)) }, wind, {}, /wind: terrain: not a finite number at row 1, column 1/],
    [{ nx: 4, ny: 3, dx: 10, dy: 10, terrain }, new Float32Array(11), {}, /wind: u: 11 values for 4 x 3 cells/],
    [{ nx: 4, ny: 3, dx: 10, dy: 10, terrain }, wind, { lidDepth: 0 }, /wind: lid_depth_m: must be a positive number of metres, got 0/],
    [{ nx: 4, ny: 3, dx: 10, dy: 10, terrain }, wind, { tolerance: 2 }, /wind: tolerance: must be in \(0, 1\)/],
  ])('%# refuses bad input', async (grid, u, options, message) => {
    await expect(solveMassConsistentWind(grid, u, wind, options)).rejects.toThrow(message);
  });
});
