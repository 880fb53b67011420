/** What the engine can compute with: reported at start-up, by `engine.info` and `terra info`. */
import { availableParallelism } from 'node:os';
import type { ComputeInfo } from '../api/types';
import { probeGpu } from './gpu';
import { chooseBackend } from './tfjs-backend';

export async function computeInfo(): Promise<ComputeInfo> {
  const [gpu, tfjs] = await Promise.all([probeGpu(), chooseBackend()]);
  return {
    cpuThreads: availableParallelism(),
    gpu: gpu.available ? { available: true, adapter: gpu.info } : { available: false, reason: gpu.reason },
    tfjs,
  };
}
