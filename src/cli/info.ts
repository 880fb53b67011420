/** `terra info`: versions and compute backends, as the engine sees them. */
import { versions } from 'node:process';
import type { ComputeInfo } from '../api/types';
import { computeInfo } from '../compute/compute-info';

export async function runInfo(version: string, json: boolean): Promise<void> {
  const compute = await computeInfo();
  if (json) {
    console.log(JSON.stringify({ version, node: versions.node, compute }, null, 2));
    return;
  }
  console.log(formatInfo(version, compute));
}

export function formatInfo(version: string, c: ComputeInfo): string {
  const gpu = c.gpu.available
    ? `${c.gpu.adapter.description || c.gpu.adapter.device} (${c.gpu.adapter.vendor}${c.gpu.adapter.architecture ? `, ${c.gpu.adapter.architecture}` : ''})${c.gpu.adapter.software ? ' [software renderer: correct, not fast]' : ''}`
    : `none: ${c.gpu.reason}`;
  const lines = [
    `Terra Twin ${version}`,
    `  Node.js          ${versions.node} (${process.platform}-${process.arch})`,
    `  CPU threads      ${c.cpuThreads}`,
    `  WebGPU adapter   ${gpu}`,
    `  tfjs             ${c.tfjs.version}, backend in use: ${c.tfjs.backend}`,
    `  backends ready   ${c.tfjs.available.join(', ')}`,
  ];
  for (const note of c.tfjs.notes) lines.push(`    skipped ${note}`);
  return lines.join('\n');
}
