/**
 * Picks the tfjs backend for a learning job and says why. Starts from the
 * engine's choice (compute/tfjs-backend.ts: tensorflow, webgpu, wasm, cpu;
 * TERRA_BACKEND or an explicit override first), with one change: a software
 * WebGPU adapter (SwiftShader) goes behind wasm, since it checks GPU code
 * paths but computes slower than wasm. Each candidate must pass `probe` (one
 * tiny step of the real job); a backend missing a kernel is reported by name
 * and the next one is tried.
 */
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import { probeGpu } from '../../compute/gpu';
import { BACKEND_ORDER, chooseBackend, type BackendName } from '../../compute/tfjs-backend';
import { activateBackend } from './activate';

export interface BackendReport {
  backend: BackendName;
  tfjs: string;
  /** Why other backends were skipped, in the order tried. */
  notes: string[];
}

export interface SelectOptions {
  /** A backend name to try first (a CLI flag); TERRA_BACKEND otherwise. */
  override?: string;
  /** Runs one tiny step of the job on the active backend; throws if it cannot. */
  probe: () => Promise<void>;
}

export function parseBackendName(name: string, field = 'backend'): BackendName {
  if (!(BACKEND_ORDER as readonly string[]).includes(name)) {
    throw new TerraError('INVALID_PARAMS', `${field}: "${name}" is not one of ${BACKEND_ORDER.join(', ')}`, { field });
  }
  return name as BackendName;
}

export async function selectBackend(options: SelectOptions): Promise<BackendReport> {
  const env = process.env.TERRA_BACKEND;
  // An unknown TERRA_BACKEND is noted and ignored by chooseBackend; an unknown flag is an error.
  const preferred = options.override ? parseBackendName(options.override) : (BACKEND_ORDER as readonly string[]).includes(env ?? '') ? (env as BackendName) : undefined;
  const engine = await chooseBackend(preferred ?? env);
  const notes = [...engine.notes];
  const gpu = await probeGpu();
  const softwareGpu = gpu.available && gpu.info.software;
  const ranked: readonly BackendName[] = softwareGpu ? ['tensorflow', 'wasm', 'webgpu', 'cpu'] : BACKEND_ORDER;
  if (softwareGpu && !preferred) notes.push('webgpu: software adapter (SwiftShader), slower than wasm; pass --backend webgpu to use it');
  const order = preferred ? [preferred, ...ranked.filter((b) => b !== preferred)] : ranked;
  const tf = await import('@tensorflow/tfjs');
  for (const name of order) {
    const problem = await activateBackend(name);
    if (problem) {
      if (!notes.some((n) => n.startsWith(`${name}:`))) notes.push(`${name}: ${problem}`);
      continue;
    }
    try {
      await options.probe();
      return { backend: name, tfjs: tf.version.tfjs, notes };
    } catch (err) {
      notes.push(`${name}: ${describeFailure(err as Error)}; trying the next backend`);
    }
  }
  throw new TerraError('INTERNAL', `no tfjs backend can run this job: ${notes.join('; ')}`);
}

/** "lacks kernel X" for tfjs's missing-kernel errors, the message otherwise. */
export function describeFailure(err: Error): string {
  const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(err.message);
  return missing ? `lacks the ${missing[1]} kernel this model needs` : err.message;
}

/** A probe for prediction jobs: a convolution and a dense product, forward only. */
export async function forwardProbe(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const y = tf.tidy(() => tf.conv2d(tf.zeros([1, 4, 4, 2]) as Tf.Tensor4D, tf.zeros([3, 3, 2, 2]) as Tf.Tensor4D, 1, 'same').reshape([16, 2]).matMul(tf.zeros([2, 1])));
  await y.data();
  y.dispose();
}
