// Fields derived from flood frames as they stream in (max depth, ARR 2019 hazard class, first arrival), for any frame
// on the timeline, checked against hand-computed 2 x 2 grids, against brute force over random frames, and for their cost.
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY, FloodDerived, type FloodFields } from '../../../renderer/src/scene/flood-derived';
import { FLOODED_DEPTH_M, HAZARD_CLASSES, HAZARD_RAMP, hazardClass } from '../../../renderer/src/scene/flood-hazard';
import { HAZARD_SCALE, MAX_DEPTH_SCALE, arrivalScale, arrivalTicks, logDepths } from '../../../renderer/src/scene/flood-styles';

const f32 = (values: number[]) => Float32Array.from(values);
const frame = (time: number, depth: number[], u: number[], v: number[]): FloodFields => ({ time, depth: f32(depth), u: f32(u), v: f32(v) });
const list = (a: Float32Array) => Array.from(a, (x) => (Number.isNaN(x) ? NaN : Number(x.toPrecision(6))));

describe('ARR 2019 hazard classes (Book 6 Ch. 7, Table 6.7.4)', () => {
  it('takes the first class whose depth, speed and depth x speed limits all hold (limits inclusive)', () => {
    expect(hazardClass(0.3, 1)).toBe(0); // D x V = 0.3: still H1
    expect(hazardClass(0.3, 1.01)).toBe(1); // D x V just over 0.3: H2
    expect(hazardClass(0.1, 0)).toBe(0);
    expect(hazardClass(0.4, 0)).toBe(1); // deeper than H1's 0.3 m
    expect(hazardClass(0.6, 0)).toBe(2); // H3: H2's D x V limit, deeper than 0.5 m
    expect(hazardClass(1, 0.7)).toBe(3); // D x V 0.7 > 0.6: H4
    expect(hazardClass(2, 0.5)).toBe(3); // 2 m and 1 m^2/s: on H4's limits
    expect(hazardClass(0.1, 2.5)).toBe(4); // shallow but faster than 2 m/s: H5
    expect(hazardClass(2.5, 1)).toBe(4);
    expect(hazardClass(0.1, 4.5)).toBe(5); // faster than 4 m/s
    expect(hazardClass(4.5, 0)).toBe(5); // deeper than 4 m
    expect(hazardClass(1.5, 3)).toBe(5); // D x V 4.5 > 4
  });

  it('leaves water shallower than the flooded depth unclassified', () => {
    expect(FLOODED_DEPTH_M).toBe(0.05);
    expect(hazardClass(0.049, 10)).toBe(-1);
    expect(hazardClass(0, 0)).toBe(-1);
    expect(hazardClass(NaN, 0)).toBe(-1);
    expect(hazardClass(0.05, 0)).toBe(0);
  });

  it('draws a class index with exactly its class colour (the overlay shader interpolates between stops)', () => {
    const stops = HAZARD_RAMP.length;
    expect(stops).toBe(6);
    for (let k = 0; k < HAZARD_CLASSES.length; k++) {
      // FieldOverlay's fragment shader, in double precision.
      const t = Math.min(1, Math.max(0, (k - HAZARD_SCALE.lo) / (HAZARD_SCALE.hi - HAZARD_SCALE.lo)));
      const x = t * (stops - 1);
      const i = Math.min(Math.floor(x), stops - 2);
      const color = HAZARD_RAMP[i]!.rgb.map((a, c) => a + (HAZARD_RAMP[i + 1]!.rgb[c]! - a) * (x - i));
      color.forEach((c, j) => expect(c).toBeCloseTo(HAZARD_CLASSES[k]!.rgb[j]!, 6));
    }
  });
});

describe('FloodDerived on a hand-computed 2 x 2 grid', () => {
  // Cells 0..3. Frame 0: cells 2 and 3 flooded (H1; 0.4 m at 1 m/s is H2). Frame 1: cell 1 at 0.3 m and 3 m/s is H5,
  // cells 0 and 1 arrive. Frame 2: cell 1 peaks at 1.5 m (H4, below its H5), the rest recede.
  const frames = [
    frame(0, [0, 0.02, 0.1, 0.4], [0, 0, 0, 1], [0, 0, 0, 0]),
    frame(60, [0.06, 0.3, 0.05, 0.2], [0, 3, 0, 0], [0, 0, 0.5, 0]),
    frame(120, [0.01, 1.5, 0, 0.1], [0, 0, 0, 0], [0, -0.5, 0, 0]),
  ];
  const make = () => {
    const d = new FloodDerived(4);
    for (const f of frames) d.push(f);
    return d;
  };
  const out = new Float32Array(4);

  it('at the newest frame: max depth, worst class and arrival over every frame', () => {
    const d = make();
    expect(list(d.maxDepthAt(2, out))).toEqual([0.06, 1.5, 0.1, 0.4]);
    expect(list(d.hazardAt(2, out))).toEqual([0, 4, 0, 1]);
    expect(list(d.arrivalAt(2, out))).toEqual([60, 60, 0, 0]);
  });

  it('scrubbed back: only the frames up to the one on show count', () => {
    const d = make();
    expect(list(d.maxDepthAt(0, out))).toEqual([0, 0.02, 0.1, 0.4]);
    expect(list(d.hazardAt(0, out))).toEqual([NaN, NaN, 0, 1]);
    expect(list(d.arrivalAt(0, out))).toEqual([NaN, NaN, 0, 0]);
    expect(list(d.maxDepthAt(1, out))).toEqual([0.06, 0.3, 0.1, 0.4]);
    expect(list(d.hazardAt(1, out))).toEqual([0, 4, 0, 1]);
    expect(list(d.arrivalAt(1, out))).toEqual([60, 60, 0, 0]);
    // And forward again to the newest.
    expect(list(d.maxDepthAt(2, out))).toEqual([0.06, 1.5, 0.1, 0.4]);
  });

  it('grows as frames arrive, one frame at a time', () => {
    const d = new FloodDerived(4);
    d.push(frames[0]!);
    expect(d.count).toBe(1);
    expect(list(d.hazardAt(0, out))).toEqual([NaN, NaN, 0, 1]);
    d.push(frames[1]!);
    expect(list(d.hazardAt(1, out))).toEqual([0, 4, 0, 1]);
    expect(() => d.hazardAt(2, out)).toThrow(RangeError);
  });

  it('refuses frames of another grid and frames it has not received', () => {
    const d = make();
    expect(() => d.push(frame(180, [0, 0, 0], [0, 0, 0], [0, 0, 0]))).toThrow(/3 cells for 4 cells/);
    expect(() => d.maxDepthAt(3, out)).toThrow(RangeError);
    expect(() => d.arrivalAt(-1, out)).toThrow(RangeError);
  });
});

describe('FloodDerived over many frames: brute force and cost', () => {
  const cells = 50;
  const n = 5 * CHECKPOINT_EVERY;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const frames = Array.from({ length: n }, (_, k) =>
    frame(
      30 * k,
      Array.from({ length: cells }, () => Math.max(0, random() * 1.6 - 0.5) * Math.min(1, k / 10)),
      Array.from({ length: cells }, () => (random() - 0.5) * 2.4),
      Array.from({ length: cells }, () => (random() - 0.5) * 2.4),
    ),
  );
  const derived = new FloodDerived(cells);
  for (const f of frames) derived.push(f);

  /** The extremes of frames 0..k, the slow way. */
  function brute(k: number) {
    const maxDepth = new Float32Array(cells);
    const hazard = new Float32Array(cells).fill(NaN);
    const arrival = new Float32Array(cells).fill(NaN);
    for (let j = 0; j <= k; j++) {
      const { depth, u, v, time } = frames[j]!;
      for (let i = 0; i < cells; i++) {
        maxDepth[i] = Math.max(maxDepth[i]!, depth[i]!);
        const c = hazardClass(depth[i]!, Math.hypot(u[i]!, v[i]!));
        if (c >= 0 && !(hazard[i]! >= c)) hazard[i] = c;
        if (depth[i]! >= FLOODED_DEPTH_M && Number.isNaN(arrival[i]!)) arrival[i] = time;
      }
    }
    return { maxDepth, hazard, arrival };
  }

  it('agrees with brute force at every frame, visited in a scrubbing order', () => {
    const out = new Float32Array(cells);
    const order = [n - 1, 3, 4, 5, 30, 12, 13, 0, n - 2, 17, 9, 9, 39, 24, 8, 7, 6];
    const classes = new Set<number>();
    for (const k of order) {
      const want = brute(k);
      expect(list(derived.maxDepthAt(k, out)), `max depth at ${k}`).toEqual(list(want.maxDepth));
      expect(list(derived.hazardAt(k, out)), `hazard at ${k}`).toEqual(list(want.hazard));
      for (const c of out) classes.add(c);
      expect(list(derived.arrivalAt(k, out)), `arrival at ${k}`).toEqual(list(want.arrival));
    }
    // The random frames exercise unflooded cells and most classes.
    expect(classes.has(NaN)).toBe(true);
    expect(classes.size).toBeGreaterThanOrEqual(5);
  });

  it('folds one frame per new frame, one per step played forward, and at most CHECKPOINT_EVERY per scrub', () => {
    const d = new FloodDerived(cells);
    const out = new Float32Array(cells);
    for (const f of frames) d.push(f);
    expect(d.folds).toBe(n);
    const cost = (k: number) => {
      const before = d.folds;
      d.hazardAt(k, out);
      d.maxDepthAt(k, out);
      return d.folds - before;
    };
    expect(cost(n - 1)).toBe(0); // the newest: kept up to date as frames arrive
    expect(cost(n - 2)).toBe(CHECKPOINT_EVERY - 1); // from the snapshot at 4 C - 1
    expect(cost(n - 2)).toBe(0);
    expect(cost(2 * CHECKPOINT_EVERY + 3)).toBe(4); // from the snapshot at 2 C - 1
    expect(cost(2 * CHECKPOINT_EVERY + 4)).toBe(1); // playing forward
    expect(cost(2 * CHECKPOINT_EVERY + 5)).toBe(1);
    expect(cost(2)).toBe(3); // before the first snapshot: from nothing
    for (let k = 0; k < n; k++) expect(cost((k * 13) % n)).toBeLessThanOrEqual(CHECKPOINT_EVERY);
    const arrivals = d.folds;
    d.arrivalAt(5, out);
    expect(d.folds).toBe(arrivals); // arrival never folds
  });
});

describe('derived layer styles', () => {
  it('draws max depth on the water layer log scale, not below its threshold', () => {
    const values = logDepths(f32([0, 0.009, 0.01, 1, 3]));
    expect(Number.isNaN(values[0]!) && Number.isNaN(values[1]!)).toBe(true);
    expect(values[2]).toBeCloseTo(MAX_DEPTH_SCALE.lo, 5); // 0.01 in 32 bits, as the frames hold it
    expect(values[3]).toBeCloseTo(0, 6);
    expect(values[4]).toBeCloseTo(MAX_DEPTH_SCALE.hi, 5);
  });

  it('scales arrival times to a whole number of tick steps at or past the last frame', () => {
    const ten = arrivalScale(600);
    expect(ten).toEqual({ lo: 0, hi: 600, step: 2 });
    expect(arrivalTicks(ten).map((t) => t.label)).toEqual(['0 min', '2 min', '4 min', '6 min', '8 min', '10 min']);
    expect(arrivalTicks(ten).map((t) => t.at)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(arrivalScale(41 * 60)).toEqual({ lo: 0, hi: 50 * 60, step: 10 });
    const day = arrivalScale(86_400);
    expect(day.hi).toBe(86_400);
    expect(arrivalTicks(day).map((t) => t.label)).toEqual(['0 h', '6 h', '12 h', '18 h', '24 h']);
    expect(arrivalScale(0).hi).toBe(60); // a run of one frame still has a scale
  });
});
