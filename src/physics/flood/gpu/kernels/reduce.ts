/**
 * One level of the reduction of the step's partials, without workgroup
 * barriers: invocation t folds partials[inOff + t + m * threads] for all m
 * (adjacent invocations read adjacent entries) into partials[outOff + t],
 * by (max, sum, max, max). The solver chains levels of fan-in REDUCE_FANIN
 * until at most REDUCE_FANIN entries are left for finish.
 */
import { declareBindings, type BindingDef, type KernelDef } from '../program';
import { WGSL_STRUCTS } from '../layout';
import { REDUCE_WGSL } from '../wgsl/common';

const bindings: BindingDef[] = [
  { name: 'level', kind: 'uniform', type: 'Level' },
  { name: 'params', kind: 'read-only-storage', type: 'Params' },
  { name: 'partials', kind: 'storage', type: 'array<vec4<f32>>' },
];

export const REDUCE: KernelDef = {
  name: 'reduce',
  workgroupSize: [64, 1],
  bindings,
  code: /* wgsl */ `
${WGSL_STRUCTS}
${REDUCE_WGSL}
${declareBindings(bindings)}

@compute @workgroup_size(64, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (params.running == 0u) { return; }
  let t = id.x;
  if (t >= level.threads) { return; }
  var acc = vec4<f32>(0.0);
  for (var s = t; s < level.count; s += level.threads) {
    acc = combine(acc, partials[level.inOff + s]);
  }
  partials[level.outOff + t] = acc;
}
`,
};
