/**
 * Chooses the tfjs backend, best first: tensorflow (optional tfjs-node-gpu),
 * webgpu (Dawn), wasm, cpu. TERRA_BACKEND overrides the order's start.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { probeGpu } from './gpu';

export const BACKEND_ORDER = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendChoice {
  version: string;
  backend: BackendName;
  available: BackendName[];
  notes: string[];
}

const requireFromHere = createRequire(import.meta.url);

/**
 * Makes `name` tfjs's backend, registering its package first; null when it
 * is now in use, else why not. Start-up (chooseBackend) and training (which
 * moves on when a backend lacks a kernel) both go through it.
 */
export async function activateBackend(name: BackendName): Promise<string | null> {
  const tf = await import('@tensorflow/tfjs');
  try {
    const problem = await registerBackend(name);
    if (problem) return problem;
    return (await tf.setBackend(name)) ? null : `${name} backend failed to initialise`;
  } catch (err) {
    return `${name} backend failed: ${(err as Error).message}`;
  }
}

/** Imports a backend's package; resolves to why it cannot run, or null. */
async function registerBackend(name: BackendName): Promise<string | null> {
  switch (name) {
    case 'tensorflow':
      try {
        // Optional dependency: present only where CUDA + libtensorflow are installed.
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
  return null;
}

let choice: Promise<BackendChoice> | null = null;

/** Initialises tfjs once per process and reports what it chose and why. */
export function chooseBackend(preferred = process.env.TERRA_BACKEND): Promise<BackendChoice> {
  choice ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const notes: string[] = [];
    let order: BackendName[] = [...BACKEND_ORDER];
    if (preferred) {
      if ((BACKEND_ORDER as readonly string[]).includes(preferred)) {
        order = [preferred as BackendName, ...order.filter((b) => b !== preferred)];
      } else {
        notes.push(`TERRA_BACKEND=${preferred} is not one of ${BACKEND_ORDER.join(', ')}; ignored`);
      }
    }
    const available: BackendName[] = [];
    for (const name of order) {
      const problem = await activateBackend(name);
      if (problem) notes.push(`${name}: ${problem}`);
      else available.push(name);
      if (available.length && name !== 'cpu') break;
    }
    const backend = available[0] ?? 'cpu';
    await tf.setBackend(backend);
    return { version: tf.version.tfjs, backend, available, notes };
  })();
  return choice;
}
