/** Reading an Inference output as the input of the evaluation tasks. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPredictions } from '../../dataset/predictions.js';
import { InputError } from '../../errors.js';
import type { EvaluationInput } from '../../evaluation/evaluation-input.js';

/**
 * Load predictions.npz of an Inference output directory. The ROC curves and working
 * points use the test jets as they come, without the training weights, so the
 * efficiencies are those of the sample's natural pT and η spectrum.
 */
export async function loadInferenceOutput(inferenceDir: string): Promise<{ input: EvaluationInput; model: string }> {
  const info = JSON.parse(await readFile(path.join(inferenceDir, 'predictions.json'), 'utf8')) as { classes: string[]; model: string };
  const predictions = await readPredictions(path.join(inferenceDir, 'predictions.npz'), info.classes);
  if (predictions.label.every((label) => label < 0)) {
    throw new InputError(
      `the inference output ${inferenceDir} has no truth labels (collision data, or a sample read with require_labels false); ROC curves and working points need a labelled sample such as --sample test`,
      { file: path.join(inferenceDir, 'predictions.npz') },
    );
  }
  return {
    input: { probabilities: predictions.probabilities, labels: predictions.label, classNames: info.classes, label: modelLabel(info.model) },
    model: info.model,
  };
}

function modelLabel(model: string): string {
  return model === 'deepjet' ? 'DeepJet' : model;
}
