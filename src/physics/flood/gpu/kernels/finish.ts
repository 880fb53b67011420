/**
 * End of a step, one invocation: folds the last reduction level of the
 * step's partials into control.limiter (fv: the largest (|u|+c)/dx +
 * (|v|+c)/dy of cells and ghosts; inertial: the largest depth), the clipped
 * volume and the bad flag; adds up the edge-sum partials into the boundary
 * volumes; writes the step's LogEntry (dt, rain rate, volumes in / out,
 * clipped, inflow volumes, bad); advances the batch clock.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { EDGE_THREADS, WGSL_STRUCTS } from '../layout';
import { CLOCK_WGSL, CONSTANTS_WGSL, REDUCE_WGSL } from '../wgsl/common';

const bindings: BindingDef[] = [
  { name: 'grid', kind: 'uniform', type: 'Grid' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'control', kind: 'storage', type: 'Control' },
  { name: 'log', kind: 'storage', type: 'array<LogEntry>' },
  { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
];

export const FINISH: KernelDef = {
  name: 'finish',
  workgroupSize: [1, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${CONSTANTS_WGSL}
${REDUCE_WGSL}
${CLOCK_WGSL}
${declareBindings(bindings)}

@compute @workgroup_size(1, 1)
fn main() {
  if (params.running == 0u) { return; }
  var r = vec4<f32>(0.0);
  for (var s = 0u; s < grid.finalCount; s++) {
    r = combine(r, partials[grid.finalOff + s]);
  }
  var edge = vec2<f32>(0.0);
  let edgeSlots = select(${EDGE_THREADS}u, ${2 * EDGE_THREADS}u, grid.isFv != 0u);
  for (var s = 0u; s < edgeSlots; s++) {
    edge += partials[s].xy;
  }
  let limiter = r.x;
  var bad = r.z;
  if (isBad(limiter)) { bad = 1.0; }
  control.limiter = limiter;
  let wdt = grid.edgeWeight * params.dt;
  var entry: LogEntry;
  entry.dt = params.dt;
  entry.rain = params.rain;
  entry.vin = wdt * edge.x;
  entry.vout = wdt * edge.y;
  entry.clipped = grid.clipWeight * r.y * grid.area;
  entry.inflowIn = control.inflowIn;
  entry.inflowOut = control.inflowOut;
  entry.bad = bad;
  log[control.logIndex] = entry;
  control.logIndex += 1u;
  control.steps += 1u;
  control.elapsed = addTime(control.elapsed, params.dt);
  control.inflowIn = 0.0;
  control.inflowOut = 0.0;
}
`,
};
