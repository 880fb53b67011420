/**
 * The flood solver's half of the GPU benchmark page (test/bench/gpu.html): the
 * WGSL solver's fast path (benchmarkGpuFlood) on the browser's WebGPU adapter,
 * both schemes at 1024^2, 2048^2 and 4096^2, with the walled basin's volume
 * change as a check that the GPU computed it right. Runs in the page, not in
 * Node: it reaches the browser's navigator.gpu.
 */
import { benchmarkGpuFlood, type GpuFloodBenchResult } from '../../src/physics/flood/gpu/bench';

export interface GpuFloodPageResult {
  adapter: string;
  runs: (GpuFloodBenchResult | { n: number; scheme: string; error: string })[];
}

async function runGpuFloodBench(quick: boolean): Promise<GpuFloodPageResult | string> {
  // This file is type-checked without the DOM library: the page's navigator, typed by @webgpu/types.
  const gpu = (globalThis as unknown as { navigator: { gpu?: GPU } }).navigator.gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return 'no WebGPU adapter';
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
  });
  const runs: GpuFloodPageResult['runs'] = [];
  for (const scheme of ['inertial', 'fv'] as const) {
    for (const n of quick ? [128] : [1024, 2048, 4096]) {
      try {
        runs.push(await benchmarkGpuFlood({ n, scheme, device, minSeconds: quick ? 0.5 : 3 }));
      } catch (error) {
        runs.push({ n, scheme, error: String(error) });
      }
    }
  }
  device.destroy();
  const { vendor, architecture, description } = adapter.info;
  return { adapter: `${vendor} ${architecture} ${description}`.trim(), runs };
}

(globalThis as unknown as { runGpuFloodBench: typeof runGpuFloodBench }).runGpuFloodBench = runGpuFloodBench;
