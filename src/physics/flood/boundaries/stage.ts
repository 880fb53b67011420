/**
 * Stage: a prescribed water-surface elevation beyond the edge. The ghost bed is
 * the edge cell's bed and the ghost depth is max(0, stage - bed). fv: the
 * normal velocity follows from the outgoing Riemann invariant
 * un + 2c = const (un outward), which lets waves leave while the level is held;
 * a supercritical outflow ignores the stage (both characteristics leave).
 */

/** Ghost state in the edge's outward frame: out = [eta, h, un (outward), ut]. */
export function stageGhost(
  out: Float64Array,
  eta: number,
  h: number,
  un: number,
  ut: number,
  stage: number,
  g: number,
): void {
  const z = eta - h;
  const c = Math.sqrt(g * h);
  if (un >= c && h > 0) {
    // supercritical outflow: transmissive
    out[0] = eta;
    out[1] = h;
    out[2] = un;
    out[3] = ut;
    return;
  }
  const hg = stage - z;
  if (hg <= 0) {
    out[0] = z;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    return;
  }
  out[0] = stage;
  out[1] = hg;
  out[2] = un + 2 * (c - Math.sqrt(g * hg));
  out[3] = ut;
}

/** Inertial ghost water surface: the stage itself (ghost bed = edge cell's bed). */
export function stageGhostEta(stage: number): number {
  return stage;
}
