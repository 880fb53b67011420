// The flood solver's contract: setup validation names the field, step()
// honours maxDt and the clock, sources are checked, dispose() ends the workers.
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { createFloodSolver, type FloodSetup } from '../../../src/physics/flood';

function base(over: Partial<FloodSetup> = {}): FloodSetup {
  const nx = 8;
  const ny = 6;
  return {
    nx,
    ny,
    dx: 1,
    dy: 1,
    bed: new Float64Array(nx * ny),
    h0: new Float64Array(nx * ny).fill(0.5),
    manning: 0.03,
    scheme: 'fv',
    cfl: 0.9,
    boundaries: { west: { type: 'wall' }, east: { type: 'wall' }, north: { type: 'wall' }, south: { type: 'wall' } },
    ...over,
  };
}

function invalid(setup: FloodSetup, field: string): void {
  let caught: unknown;
  try {
    createFloodSolver(setup).dispose();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TerraError);
  const e = caught as TerraError;
  expect(e.code).toBe('INVALID_PARAMS');
  expect(e.message).toContain(field);
  expect(e.details?.field).toBe(field);
}

describe('createFloodSolver validation', () => {
  it('names the offending field', () => {
    invalid(base({ nx: 0 }), 'nx');
    invalid(base({ ny: 2.5 }), 'ny');
    invalid(base({ dx: -1 }), 'dx');
    invalid(base({ dy: Number.NaN }), 'dy');
    invalid(base({ bed: new Float64Array(3) }), 'bed');
    const bed = new Float64Array(48);
    bed[17] = Number.NaN;
    invalid(base({ bed }), 'bed[17]');
    const h0 = new Float64Array(48);
    h0[5] = -0.1;
    invalid(base({ h0 }), 'h0[5]');
    invalid(base({ manning: -0.01 }), 'manning');
    invalid(base({ manning: new Float64Array(47) }), 'manning');
    invalid(base({ u0: new Float64Array(2) }), 'u0');
    invalid(base({ boundaries: { ...base().boundaries, east: { type: 'sea' } as never } }), 'boundaries.east.type');
    invalid(base({ boundaries: { ...base().boundaries, west: { type: 'stage' } as never } }), 'boundaries.west.stage');
    invalid(base({ scheme: 'lbm' as never }), 'scheme');
    invalid(base({ cfl: 0 }), 'cfl');
    invalid(base({ cfl: 1.5 }), 'cfl');
    invalid(base({ dryTolerance: 0 }), 'dryTolerance');
    invalid(base({ threads: 0 }), 'threads');
    invalid(base({ threads: 4 }), 'threads'); // 6 rows cannot make 4 bands of 2
    invalid(base({ inflows: [{ cell: 48, discharge: () => 1 }] }), 'inflows[0].cell');
    invalid(base({ rain: 5 as never }), 'rain');
    invalid(base({ boundaries: { ...base().boundaries, north: { type: 'stage', stage: () => Number.NaN } } }), 'boundaries.north.stage');
  });
});

describe('FloodSolver', () => {
  it('steps at most maxDt, keeps its clock and exposes live state arrays', () => {
    const s = createFloodSolver(base({ h0: Float64Array.from({ length: 48 }, (_, k) => (k % 8 < 4 ? 1 : 0.5)) }));
    const h = s.h;
    const dt = s.step(1e-3);
    expect(dt).toBe(1e-3);
    const stable = s.stableDt();
    const dt2 = s.step(100);
    expect(stable).toBeLessThan(100);
    expect(dt2).toBe(stable);
    expect(s.time).toBeCloseTo(1e-3 + dt2, 15);
    expect(s.steps).toBe(2);
    expect(s.h).toBe(h); // the same live array
    expect(() => s.step(0)).toThrow(TerraError);
    expect(() => s.step(Number.NaN)).toThrow(/maxDt/);
    s.dispose();
    expect(() => s.step(1)).toThrow(/dispose/);
  });

  it('rejects negative rain and non-finite inflows at the step that sees them', () => {
    const r = createFloodSolver(base({ rain: (t) => (t > 0.01 ? -1 : 0) }));
    r.step(0.02);
    expect(() => r.step(0.02)).toThrow(/rain/);
    const q = createFloodSolver(base({ inflows: [{ cell: 3, discharge: () => Number.POSITIVE_INFINITY }] }));
    const before = q.volume();
    expect(() => q.step(0.02)).toThrow(/inflows\[0\]\.discharge/);
    // the sources are read before the state changes: a refused step leaves the solver as it was
    expect([q.time, q.steps, q.volume()]).toEqual([0, 0, before]);
  });

  it('reports a blow-up as TerraError INTERNAL instead of returning NaNs', () => {
    const s = createFloodSolver(base({ u0: new Float64Array(48).fill(1e200) }));
    let caught: unknown;
    for (let i = 0; i < 5 && !caught; i++) {
      try {
        s.step(1);
      } catch (err) {
        caught = err;
      }
    }
    expect(caught).toBeInstanceOf(TerraError);
    expect((caught as TerraError).code).toBe('INTERNAL');
    expect((caught as TerraError).message).toMatch(/non-finite/);
  });

  it('a dry domain with no sources takes maxDt', () => {
    for (const scheme of ['fv', 'inertial'] as const) {
      const s = createFloodSolver(base({ scheme, h0: new Float64Array(48) }));
      expect(s.stableDt()).toBe(Infinity);
      expect(s.step(7)).toBe(7);
      expect(s.volume()).toBe(0);
    }
  });

  it('dispose() ends the worker threads', async () => {
    const s = createFloodSolver(base({ ny: 8, h0: new Float64Array(64).fill(0.5), bed: new Float64Array(64), threads: 2 }));
    s.step(0.1);
    s.dispose();
    s.dispose(); // idempotent
    await s.whenThreadsExit(); // resolves once every worker has exited
    // A disposed multi-threaded solver refuses to step instead of waiting for a dead worker.
    expect(() => s.step(0.1)).toThrow(TerraError);
  });
});
