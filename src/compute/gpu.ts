/**
 * The engine's WebGPU entry point: Dawn for Node through the `webgpu` package.
 * One GPU object per process, installed as navigator.gpu so tfjs's webgpu
 * backend and the WGSL solvers share the same adapter.
 */
import { tmpdir } from 'node:os';
import type { GpuAdapterInfo } from '../api/types';

export type GpuProbe =
  | { available: true; gpu: GPU; adapter: GPUAdapter; info: GpuAdapterInfo }
  | { available: false; reason: string };

let probe: Promise<GpuProbe> | null = null;

/** Whether an adapter, by its vendor, architecture and description, renders in software on the CPU. */
export function isSoftwareAdapter(info: { vendor: string; architecture: string; description: string }): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

export function probeGpu(): Promise<GpuProbe> {
  probe ??= (async (): Promise<GpuProbe> => {
    try {
      // The Vulkan loader complains on stderr when this is unset (headless Linux).
      if (process.platform === 'linux' && !process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
      const { create, globals } = await import('webgpu');
      Object.assign(globalThis, globals);
      const gpu = create([]);
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) {
        return {
          available: false,
          reason:
            'no WebGPU adapter (needs a Vulkan, Metal or D3D12 driver; on Linux without a GPU install libvulkan1 and set VK_ICD_FILENAMES to SwiftShader)',
        };
      }
      (globalThis as { navigator?: unknown }).navigator ??= {};
      Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'gpu', {
        value: gpu,
        configurable: true,
      });
      const a = adapter.info;
      return {
        available: true,
        gpu,
        adapter,
        info: {
          vendor: a.vendor,
          architecture: a.architecture,
          device: a.device,
          description: a.description,
          software: isSoftwareAdapter(a),
        },
      };
    } catch (err) {
      return { available: false, reason: `WebGPU failed to start: ${(err as Error).message}` };
    }
  })();
  return probe;
}
