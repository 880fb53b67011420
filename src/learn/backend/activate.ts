/**
 * Switches tfjs to one backend by name, registering its package first. The
 * engine's start-up choice (compute/tfjs-backend.ts) settles on one backend
 * per process; learning needs to move on when a backend lacks a kernel, and
 * the benchmark measures each backend in turn.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { probeGpu } from '../../compute/gpu';
import type { BackendName } from '../../compute/tfjs-backend';
import { registerWasmTrainingKernels } from './wasm-kernels';

const requireFromHere = createRequire(import.meta.url);

/** Activates `name`; null when it is now tfjs's backend, else why not. */
export async function activateBackend(name: BackendName): Promise<string | null> {
  const tf = await import('@tensorflow/tfjs');
  try {
    switch (name) {
      case 'tensorflow':
        try {
          await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node-gpu'].join('/'));
        } catch {
          return 'tfjs-node-gpu is not installed (optional; NVIDIA + CUDA only)';
        }
        break;
      case 'webgpu': {
        const gpu = await probeGpu();
        if (!gpu.available) return gpu.reason;
        await import('@tensorflow/tfjs-backend-webgpu');
        break;
      }
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths(dirname(requireFromHere.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm')) + '/');
        break;
      }
      case 'cpu':
        break;
    }
    if (!(await tf.setBackend(name))) return `${name} backend failed to initialise`;
  } catch (err) {
    return `${name} backend failed: ${(err as Error).message}`;
  }
  if (name === 'wasm') registerWasmTrainingKernels(tf);
  return null;
}
