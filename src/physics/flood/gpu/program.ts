/**
 * Kernel definitions and program objects (the tfjs-webgpu pattern): a kernel
 * file exports a KernelDef (its WGSL, workgroup size and bind-group layout, in
 * binding order); a GpuProgram compiles it once per solver with an explicit
 * layout and makes bind groups from named buffers; a KernelRun is one dispatch
 * of a program with its bind group and workgroup count, ready to encode.
 */
import { TerraError } from '../../../api/errors';

export type BindingKind = 'uniform' | 'storage' | 'read-only-storage';

export interface BindingDef {
  /** The name the solver's buffer table uses for it, and the WGSL variable's. */
  readonly name: string;
  readonly kind: BindingKind;
  /** WGSL type of the variable. */
  readonly type: string;
}

/** The WGSL declarations of a binding list (group 0, binding i), so layout and source cannot disagree. */
export function declareBindings(bindings: readonly BindingDef[]): string {
  const space: Record<BindingKind, string> = { uniform: 'uniform', storage: 'storage, read_write', 'read-only-storage': 'storage, read' };
  return bindings.map((b, i) => `@group(0) @binding(${i}) var<${space[b.kind]}> ${b.name}: ${b.type};`).join('\n');
}

export interface KernelDef {
  readonly name: string;
  /** Workgroup size (x, y); the WGSL's @workgroup_size must say the same. */
  readonly workgroupSize: readonly [number, number];
  /** Group 0, binding i = bindings[i]. */
  readonly bindings: readonly BindingDef[];
  /** The WGSL source (entry point `main`). */
  readonly code: string;
}

/** A buffer or a range of one, bound to a binding. */
export type BoundBuffer = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

export interface KernelRun {
  readonly program: GpuProgram;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: readonly [number, number, number];
}

export class GpuProgram {
  readonly def: KernelDef;
  readonly pipeline: GPUComputePipeline;
  private readonly layout: GPUBindGroupLayout;
  private readonly device: GPUDevice;

  constructor(device: GPUDevice, def: KernelDef) {
    this.device = device;
    this.def = def;
    this.layout = device.createBindGroupLayout({
      label: def.name,
      entries: def.bindings.map((b, i) => ({ binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: b.kind } })),
    });
    const module = device.createShaderModule({ label: def.name, code: def.code });
    this.pipeline = device.createComputePipeline({
      label: def.name,
      layout: device.createPipelineLayout({ label: def.name, bindGroupLayouts: [this.layout] }),
      compute: { module, entryPoint: 'main' },
    });
  }

  /** A bind group from the solver's buffers, looked up by binding name (`extra` first, for per-pass choices). */
  bind(buffers: Readonly<Record<string, BoundBuffer | undefined>>, extra: Readonly<Record<string, BoundBuffer>> = {}): GPUBindGroup {
    return this.device.createBindGroup({
      label: this.def.name,
      layout: this.layout,
      entries: this.def.bindings.map((b, i) => {
        const buf = extra[b.name] ?? buffers[b.name];
        if (!buf) throw new TerraError('INTERNAL', `GPU kernel ${this.def.name}: no buffer for binding '${b.name}'`);
        return { binding: i, resource: 'buffer' in buf ? buf : { buffer: buf } };
      }),
    });
  }

  /** A dispatch covering `threads` invocations in x and y. */
  run(bindGroup: GPUBindGroup, threadsX: number, threadsY = 1): KernelRun {
    const [wx, wy] = this.def.workgroupSize;
    return { program: this, bindGroup, workgroups: [Math.ceil(threadsX / wx), Math.ceil(threadsY / wy), 1] };
  }
}

/** Encodes runs in order into one compute pass (WebGPU orders dispatches of a pass, writes visible to later ones). */
export function encodeRuns(pass: GPUComputePassEncoder, runs: readonly KernelRun[]): void {
  for (const r of runs) {
    pass.setPipeline(r.program.pipeline);
    pass.setBindGroup(0, r.bindGroup);
    pass.dispatchWorkgroups(r.workgroups[0], r.workgroups[1], r.workgroups[2]);
  }
}

/** Compile errors of a shader module, as text (empty when clean). For tests and for the first start of a solver. */
export async function compileMessages(device: GPUDevice, def: KernelDef): Promise<string> {
  const module = device.createShaderModule({ label: def.name, code: def.code });
  const info = await module.getCompilationInfo();
  return info.messages
    .filter((m) => m.type === 'error')
    .map((m) => `${def.name}:${m.lineNum}:${m.linePos} ${m.message}`)
    .join('\n');
}
