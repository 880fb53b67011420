// A radial dam break over a radially symmetric bed keeps the symmetries of
// the square grid: mirror east-west, mirror north-south and the transpose
// (x <-> y, with hu(i, j) = -hv(j, i) since rows grow southwards). Guards the
// orientation conventions (row 0 north, v positive north) of both schemes.
import { describe, expect, it } from 'vitest';
import { createFloodSolver, type FloodScheme } from '../../../src/physics/flood';
import { fmt, WALLS } from './helpers';

const N = 81;

describe('a radial dam break stays symmetric', () => {
  for (const scheme of ['fv', 'inertial'] as FloodScheme[]) {
    it(`${scheme}: mirror and transpose symmetry to round-off`, () => {
      const bed = new Float64Array(N * N);
      const h0 = new Float64Array(N * N);
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < N; i++) {
          const r = Math.hypot(i - 40, j - 40);
          h0[j * N + i] = r < 15 ? 2 : 0.5;
          bed[j * N + i] = 0.1 * Math.cos(r / 4);
        }
      }
      const s = createFloodSolver({ nx: N, ny: N, dx: 1, dy: 1, bed, h0, manning: 0.02, scheme, cfl: 0.9, boundaries: WALLS });
      for (let k = 0; k < 150; k++) s.step(1);
      let transpose = 0;
      let mirrorX = 0;
      let mirrorY = 0;
      let momentum = 0;
      for (let j = 0; j < N; j++) {
        for (let i = 0; i < N; i++) {
          const k = j * N + i;
          transpose = Math.max(transpose, Math.abs(s.h[k]! - s.h[i * N + j]!));
          mirrorX = Math.max(mirrorX, Math.abs(s.h[k]! - s.h[j * N + (N - 1 - i)]!));
          mirrorY = Math.max(mirrorY, Math.abs(s.h[k]! - s.h[(N - 1 - j) * N + i]!));
          momentum = Math.max(momentum, Math.abs(s.hu[k]! + s.hv[i * N + j]!));
        }
      }
      console.log(
        `[symmetry] ${scheme}: t = ${fmt(s.time)} s: max |h - h mirrored E-W| = ${fmt(mirrorX)}, N-S = ${fmt(mirrorY)}, ` +
          `transposed = ${fmt(transpose)} m, max |hu + hv transposed| = ${fmt(momentum)} m2/s`,
      );
      for (const d of [transpose, mirrorX, mirrorY, momentum]) expect(d).toBeLessThan(1e-12);
      s.dispose();
    });
  }
});
