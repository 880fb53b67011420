/**
 * The flood solver on the GPU: WGSL kernels of both schemes run through
 * WebGPU (Dawn for Node), cross-checked against the CPU reference in
 * test/validation/flood/gpu-*.test.ts. See README.md in this folder.
 */
export { createGpuFloodSolver, type GpuFloodMaxima, type GpuFloodOptions, type GpuFloodSolver } from './solver';
export { benchmarkGpuFlood, type GpuFloodBenchOptions, type GpuFloodBenchResult } from './bench';
