/**
 * The process's one GPUDevice, shared by tfjs and the WGSL solvers (DESIGN.md,
 * "Compute": fields pass between physics and networks without copies).
 *
 *   const device = await getGpuDevice();   // TerraError('INTERNAL') when no adapter
 *
 * If tfjs already runs on its 'webgpu' backend, its device is reused. Otherwise
 * a device is requested from probeGpu()'s adapter with the adapter's largest
 * buffer limits (the ones tfjs asks for too, so a later tfjs backend created on
 * the same adapter sees the same sizes). The first answer is cached for the
 * process; a lost device is forgotten, so the next call makes a new one.
 *
 * Order matters for "one device": call chooseBackend() (tfjs-backend.ts)
 * before the first getGpuDevice() when both are wanted. If this module creates
 * the device first, tfjs's webgpu backend (which requests its own) would make
 * a second one; the solvers keep using this one.
 */
import { TerraError } from '../api/errors';
import { probeGpu } from './gpu';

let cached: Promise<GPUDevice> | null = null;

/** tfjs keeps its engine on the global object; present only once tfjs has been imported. */
function tfjsLoaded(): boolean {
  return (globalThis as { _tfengine?: unknown })._tfengine !== undefined;
}

async function tfjsWebGpuDevice(): Promise<GPUDevice | null> {
  if (!tfjsLoaded()) return null; // importing tfjs just to ask costs ~0.7 s; it cannot be on webgpu if it is not loaded
  const tf = await import('@tensorflow/tfjs');
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  return device ?? null;
}

async function requestOwnDevice(): Promise<GPUDevice> {
  const probe = await probeGpu();
  if (!probe.available) {
    throw new TerraError(
      'INTERNAL',
      `No GPU device for the WGSL kernels: ${probe.reason}. Without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ` +
        '(SwiftShader, from Debian package chromium; needs libvulkan1).',
      { reason: probe.reason },
    );
  }
  const limits = probe.adapter.limits;
  const device = await probe.adapter.requestDevice({
    label: 'terra-twin',
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  return device;
}

/** The process's GPUDevice (tfjs's when tfjs runs on webgpu). Rejects with a TerraError saying how to get an adapter. */
export function getGpuDevice(): Promise<GPUDevice> {
  cached ??= (async () => {
    const device = (await tfjsWebGpuDevice()) ?? (await requestOwnDevice());
    void device.lost.then(() => {
      cached = null;
    });
    return device;
  })().catch((err: unknown) => {
    cached = null;
    throw err instanceof TerraError ? err : new TerraError('INTERNAL', `GPU device request failed: ${(err as Error).message}`);
  });
  return cached;
}
