// flood.run streams the water balance with every frame: storage is the frame's depths times the cell area, the
// cumulative volumes in and out end where the summary does, and storage = initial + in - out at every frame.
import { describe, expect, it } from 'vitest';
import type { FieldFrame } from '../../../src/api/protocol';
import type { FloodFrameStats } from '../../../src/api/types';
import { inProcessClient } from '../engine/in-process-client';


describe('flood.run frame stats', () => {
  it('streams storage, water in and water out with each frame, consistent with the depths and the summary', async () => {
    const client = inProcessClient();
    const frames: FieldFrame[] = [];
    const result = await client.call(
      'flood.run',
      {
        site: 'olinda',
        rain: { intensity_mm_per_h: 150, duration_s: 600 },
        duration_s: 900,
        output_interval_s: 300,
        initial_water_level_m: 0,
        gauges: [],
      },
      { onProgress: (p) => p.frame && frames.push(p.frame) },
    );
    const s = result.summary;
    expect(frames.map((f) => f.time)).toEqual([0, 300, 600, 900]);
    const area = s.dx_m * s.dy_m;
    const stats = (f: FieldFrame) => f.stats as unknown as FloodFrameStats;
    for (const f of frames) {
      expect(Object.keys(f.stats ?? {}).sort()).toEqual(['storage_m3', 'volume_in_m3', 'volume_out_m3']);
      let sum = 0;
      for (const d of f.fields.depth!) sum += d;
      // The engine sums its float64 depths; the frame holds them in 32 bits.
      expect(stats(f).storage_m3 / (sum * area)).toBeCloseTo(1, 6);
      const balance = s.volume_initial_m3 + stats(f).volume_in_m3 - stats(f).volume_out_m3;
      expect(Math.abs(stats(f).storage_m3 - balance) / (s.volume_initial_m3 + stats(f).volume_in_m3)).toBeLessThan(1e-9);
    }
    const [first, last] = [stats(frames[0]!), stats(frames.at(-1)!)];
    expect(first.storage_m3).toBeCloseTo(s.volume_initial_m3, 3);
    expect([first.volume_in_m3, first.volume_out_m3]).toEqual([0, 0]);
    expect(last.storage_m3).toBeCloseTo(s.volume_final_m3, 3);
    expect(last.volume_in_m3).toBe(s.volume_in_m3);
    expect(last.volume_out_m3).toBe(s.volume_out_m3);
    // Rain fell: 150 mm/h for 10 min is 25 mm over the grid.
    expect(last.volume_in_m3 / (s.cells * area)).toBeCloseTo(0.025, 3);
    client.close();
  });
});
