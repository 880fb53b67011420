// The moving rain cell: its centre along the track, the Gaussian profile
// against direct evaluation (the field is computed separably), the volume it
// drops, and tracks that are refused with the field named.
import { describe, expect, it } from 'vitest';
import { makeGeoref } from '../../../src/core/georef';
import { cellCentre, rainCellField, rainCellProblems, type RainCell } from '../../../src/weather/rain-cell';

// 200 x 150 cells of 100 m (UTM): 20 x 15 km.
const grid = makeGeoref({ nx: 200, ny: 150, x0: 500000, y0: 4000000, dx: 100, dy: 100, crs: 'EPSG:32617' });
const cell: RainCell = {
  track: [
    { t_s: 600, x: 504000, y: 3992000 },
    { t_s: 1800, x: 512000, y: 3992000 },
    { t_s: 2400, x: 512000, y: 3995000 },
  ],
  radius_m: 1500,
  peak_mm_h: 72,
};

describe('moving rain cell', () => {
  it('moves along its legs at their own speeds and rains only between the first and last track times', () => {
    expect(cellCentre(cell, 599)).toBeNull();
    expect(cellCentre(cell, 2401)).toBeNull();
    expect(cellCentre(cell, 600)).toEqual({ x: 504000, y: 3992000 });
    expect(cellCentre(cell, 1200)).toEqual({ x: 508000, y: 3992000 }); // 8 km in 1200 s: 6.67 m/s
    expect(cellCentre(cell, 2100)).toEqual({ x: 512000, y: 3993500 }); // 3 km in 600 s: 5 m/s
    const rain = rainCellField(cell, grid);
    const out = rain(100, new Float64Array(grid.nx * grid.ny).fill(1));
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('matches peak * exp(-(r/R)^2) cell by cell and drops peak * pi * R^2 while wholly over the grid', () => {
    const rain = rainCellField(cell, grid);
    const out = rain(1200, new Float64Array(grid.nx * grid.ny));
    const peak = 72 / 3.6e6;
    let worst = 0;
    let total = 0;
    for (let j = 0; j < grid.ny; j++) {
      for (let i = 0; i < grid.nx; i++) {
        const x = grid.x0 + (i + 0.5) * grid.dx;
        const y = grid.y0 - (j + 0.5) * grid.dy;
        const r = Math.hypot(x - 508000, y - 3992000);
        const expected = peak * Math.exp(-((r / 1500) ** 2));
        worst = Math.max(worst, Math.abs(out[j * grid.nx + i]! - expected));
        total += out[j * grid.nx + i]! * grid.dxMetres * grid.dyMetres;
      }
    }
    expect(worst).toBeLessThan(1e-15 * 1e3 * peak);
    // centre 4 km from the west edge and 7.5 km from the north: 2.7+ radii from every edge
    expect(Math.abs(total - peak * Math.PI * 1500 ** 2) / (peak * Math.PI * 1500 ** 2)).toBeLessThan(1e-3);
  });

  it('uses metres on geographic grids (the cell is round on the ground, not in degrees)', () => {
    const geo = makeGeoref({ nx: 100, ny: 100, x0: -84.5, y0: 36.8, dx: 0.001, dy: 0.001, crs: 'EPSG:4326' });
    const centre = { t_s: 0, x: -84.45, y: 36.75 };
    const rain = rainCellField({ track: [centre, { ...centre, t_s: 60 }], radius_m: 1000, peak_mm_h: 36 }, geo);
    const out = rain(30, new Float64Array(geo.nx * geo.ny));
    // 1 km east and 1 km north of the centre: both e^-1 of the peak, although 1 km is more degrees east than north
    const at = (x: number, y: number) => out[Math.floor((geo.y0 - y) / geo.dy) * geo.nx + Math.floor((x - geo.x0) / geo.dx)]!;
    const east = at(-84.45 + 1000 / (geo.dxMetres / geo.dx), 36.75 - 0.0005);
    const north = at(-84.45 + 0.0005, 36.75 + 1000 / (geo.dyMetres / geo.dy));
    expect(geo.dxMetres / geo.dx).toBeLessThan(0.85 * (geo.dyMetres / geo.dy));
    expect(east / (36 / 3.6e6)).toBeCloseTo(Math.exp(-1), 1);
    expect(north / (36 / 3.6e6)).toBeCloseTo(Math.exp(-1), 1);
  });

  it('refuses tracks out of order, too short, or never near the DEM, naming the field', () => {
    expect(rainCellProblems(cell, grid)).toEqual([]);
    expect(rainCellProblems({ ...cell, track: [cell.track[0]!] }, grid)[0]!.field).toBe('track');
    const backwards = rainCellProblems({ ...cell, track: [cell.track[1]!, cell.track[0]!] }, grid);
    expect(backwards[0]).toEqual({ field: 'track.1.t_s', problem: 'times must increase (600 after 1800)' });
    const far = rainCellProblems({ ...cell, track: [{ t_s: 0, x: 600000, y: 3992000 }, { t_s: 60, x: 610000, y: 3992000 }] }, grid);
    expect(far[0]!.problem).toMatch(/never comes within 3 radii \(4.5 km\) of the DEM/);
    // a track crossing the grid with both ends far outside is fine
    expect(rainCellProblems({ ...cell, track: [{ t_s: 0, x: 450000, y: 3993000 }, { t_s: 60, x: 560000, y: 3993000 }] }, grid)).toEqual([]);
  });
});
