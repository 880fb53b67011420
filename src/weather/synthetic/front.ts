/**
 * A straight front moving over a site at a constant speed: the air ahead of
 * its line is the base state, the air behind it the changed state (colder for
 * a cold front, with the wind veered), joined by a tanh profile across the
 * line; a pressure trough and a moist band sit on the line itself, where
 * fronts lift air and bring cloud.
 *
 * Everything is a function of s, the distance (m) of a point ahead of the
 * line along the direction of motion: s = along - speed * (t - crossing),
 * where `along` is the point's distance from the site centre in that
 * direction. The line reaches a point `along` metres downstream of the centre
 * at crossing + along / speed.
 */

/** Near-surface air at the reference elevation; wind as earth-relative east and north components (m/s). */
export interface AirState {
  temperatureK: number;
  pressurePa: number;
  relativeHumidity: number;
  east: number;
  north: number;
}

export interface Front {
  /** Speed of the line along its direction of motion (m/s, > 0). */
  speed: number;
  /** When the line crosses the site centre (epoch ms). */
  crossingMs: number;
  /** Across-line width of the transition (m). */
  width: number;
  /** Temperature behind minus ahead (K). */
  temperatureChange: number;
  /** Wind behind the line (east, north; m/s). */
  eastAfter: number;
  northAfter: number;
  /** Relative humidity behind the line (fraction). */
  relativeHumidityAfter: number;
  /** Depth of the pressure dip on the line (Pa, >= 0). */
  troughDepth: number;
  /** Moist band on the line: peak relative humidity and across-line width (m). */
  band?: { relativeHumidity: number; width: number };
}

/** Wind components (east, north) of a wind of `speed` blowing FROM the bearing `fromDeg` (clockwise from north). */
export function windFrom(speed: number, fromDeg: number): { east: number; north: number } {
  const a = (fromDeg * Math.PI) / 180;
  return { east: -speed * Math.sin(a), north: -speed * Math.cos(a) };
}

/** Distance (m) of a point `along` metres downstream of the site centre ahead of the line at time t (epoch ms); negative behind it. */
export function distanceAhead(front: Front, along: number, t: number): number {
  return along - (front.speed * (t - front.crossingMs)) / 1000;
}

/**
 * Share of the change done at s metres ahead of the line: 1/2 (1 - tanh(2 s / width)).
 * 0 far ahead, 1 far behind (exactly, beyond ~10 widths), 1/2 on the line,
 * 0.12 and 0.88 at half a width either side.
 */
export function behindShare(s: number, width: number): number {
  return 0.5 * (1 - Math.tanh((2 * s) / width));
}

/** A bump on the line: sech^2(2 s / width), 1 on the line, 0.42 at half a width either side, under 1e-2 beyond 1.5 widths. */
export function lineBump(s: number, width: number): number {
  const c = Math.cosh((2 * s) / width);
  return 1 / (c * c);
}

/** The air s metres ahead of the front's line (behind where s < 0). */
export function airAcross(base: AirState, front: Front, s: number): AirState {
  const w = behindShare(s, front.width);
  const trough = front.troughDepth > 0 ? front.troughDepth * lineBump(s, front.width) : 0;
  let rh = base.relativeHumidity + w * (front.relativeHumidityAfter - base.relativeHumidity);
  if (front.band) rh += lineBump(s, front.band.width) * (front.band.relativeHumidity - rh);
  return {
    temperatureK: base.temperatureK + w * front.temperatureChange,
    pressurePa: base.pressurePa - trough,
    relativeHumidity: rh,
    east: base.east + w * (front.eastAfter - base.east),
    north: base.north + w * (front.northAfter - base.north),
  };
}
