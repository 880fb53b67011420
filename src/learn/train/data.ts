/**
 * What training reads of a dataset: network inputs, and what the network
 * learns, the encoded target minus the response-surface baseline (inputs.ts),
 * plus wet cells for patch centres.
 */
import type { Dataset } from '../dataset/load';
import type { ScenarioEntry } from '../dataset/manifest';
import { FieldInputs, type ScenarioInputs } from '../inputs';
import { encodeTarget } from '../target';
import type { PatchScenario } from './patches';

/** The 5 cm flood threshold that wet-centred patches and the validation scores use. */
export const WET_M = 0.05;

export interface TrainingData {
  inputs: FieldInputs;
  train: PatchScenario[];
  validation: { inputs: ScenarioInputs; target: Float32Array }[];
}

export function trainingData(dataset: Dataset): TrainingData {
  const { manifest } = dataset;
  const names = manifest.channels;
  const inputs = new FieldInputs(dataset.static, dataset.nx, dataset.ny, names, manifest.stats);
  const prepared = (s: ScenarioEntry) => {
    const scenario = inputs.scenario(s.forcing);
    const target = encodeTarget(dataset.targets.get(s.id)!, manifest.stats.target);
    for (let k = 0; k < target.length; k++) target[k]! -= scenario.baseline[k]!;
    return { inputs: scenario, target };
  };
  const train = dataset.scenarios
    .filter((s) => s.split === 'train')
    .map((s) => {
      const wet: number[] = [];
      dataset.targets.get(s.id)!.forEach((d, k) => d >= WET_M && wet.push(k));
      return { ...prepared(s), wet: Int32Array.from(wet) };
    });
  const validation = dataset.scenarios.filter((s) => s.split === 'validation').map(prepared);
  return { inputs, train, validation };
}
