/**
 * Switches tfjs to one backend by name, registering its package first. The
 * engine's start-up choice (compute/tfjs-backend.ts) settles on one backend
 * per process; learning needs to move on when a backend lacks a kernel, and
 * the benchmark measures each backend in turn.
 */
import { activateBackend as activate, type BackendName } from '../../compute/tfjs-backend';
import { registerWasmTrainingKernels } from './wasm-kernels';

/** Activates `name` (see compute/tfjs-backend.ts); on wasm, adds the training kernels it lacks. Null when active, else why not. */
export async function activateBackend(name: BackendName): Promise<string | null> {
  const problem = await activate(name);
  if (!problem && name === 'wasm') registerWasmTrainingKernels(await import('@tensorflow/tfjs'));
  return problem;
}
