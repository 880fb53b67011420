/**
 * Categorical scores of a flood map at a depth threshold: a cell is flooded
 * when its depth is at or above the threshold. CSI = hits / (hits + misses +
 * false alarms), POD = hits / (hits + misses), FAR = false alarms / (hits +
 * false alarms); NaN where the denominator is zero.
 */
export interface Contingency {
  hits: number;
  misses: number;
  falseAlarms: number;
  correctNegatives: number;
}

export function contingency(obs: ArrayLike<number>, pred: ArrayLike<number>, threshold: number): Contingency {
  if (obs.length !== pred.length) throw new Error(`metrics: ${obs.length} observations but ${pred.length} predictions`);
  const t: Contingency = { hits: 0, misses: 0, falseAlarms: 0, correctNegatives: 0 };
  for (let i = 0; i < obs.length; i++) {
    const o = obs[i]! >= threshold;
    const p = pred[i]! >= threshold;
    if (o && p) t.hits++;
    else if (o) t.misses++;
    else if (p) t.falseAlarms++;
    else t.correctNegatives++;
  }
  return t;
}

/** Sum of tables (pooled over scenarios). */
export function addContingency(a: Contingency, b: Contingency): Contingency {
  return {
    hits: a.hits + b.hits,
    misses: a.misses + b.misses,
    falseAlarms: a.falseAlarms + b.falseAlarms,
    correctNegatives: a.correctNegatives + b.correctNegatives,
  };
}

export function csi(t: Contingency): number {
  const d = t.hits + t.misses + t.falseAlarms;
  return d > 0 ? t.hits / d : NaN;
}

export function pod(t: Contingency): number {
  const d = t.hits + t.misses;
  return d > 0 ? t.hits / d : NaN;
}

export function far(t: Contingency): number {
  const d = t.hits + t.falseAlarms;
  return d > 0 ? t.falseAlarms / d : NaN;
}
