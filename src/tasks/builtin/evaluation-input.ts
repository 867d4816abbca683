/** Reading an Inference output as the input of the evaluation tasks. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPredictions } from '../../dataset/predictions.js';
import type { EvaluationInput } from '../../evaluation/evaluation-input.js';

/**
 * Load predictions.npz of an Inference output directory. The ROC curves and working
 * points use the test jets as they come, without the training weights, so the
 * efficiencies are those of the sample's natural pT and η spectrum.
 */
export async function loadInferenceOutput(inferenceDir: string): Promise<{ input: EvaluationInput; model: string }> {
  const info = JSON.parse(await readFile(path.join(inferenceDir, 'predictions.json'), 'utf8')) as { classes: string[]; model: string };
  const predictions = await readPredictions(path.join(inferenceDir, 'predictions.npz'), info.classes);
  return {
    input: { probabilities: predictions.probabilities, labels: predictions.label, classNames: info.classes, label: modelLabel(info.model) },
    model: info.model,
  };
}

function modelLabel(model: string): string {
  return model === 'deepjet' ? 'DeepJet' : model;
}
