/**
 * Report: the full evaluation of an Inference output (ROC curves with optional bootstrap
 * bands, working points, rejection table, efficiencies against pT and η, (pT, η)
 * windows) with every plot as PNG, SVG and JSON, `evaluation.json`, and the
 * self-contained `report.html`. Runs after WorkingPoint, whose metrics it repeats.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultEvaluationSettings } from '../../config/evaluation-section.js';
import { readPredictions } from '../../dataset/predictions.js';
import { InputError } from '../../errors.js';
import { writeEvaluationRun } from '../../report/evaluation-run.js';
import { bhiveVersion } from '../provenance.js';
import type { TaskDefinition } from '../task.js';

export const report: TaskDefinition = {
  name: 'Report',
  description: 'full evaluation of the inference output (rejection table, bootstrap bands, efficiency against pT and η, windows) and report.html',
  parameters: [],
  configKeys: ['discriminants', 'workingPoints', 'evaluation'],
  requires: () => [
    { key: 'inference', task: 'Inference' },
    { key: 'workingPoint', task: 'WorkingPoint' },
  ],
  async run({ config, inputs, outputDir, reporter }) {
    const info = JSON.parse(await readFile(path.join(inputs.inference, 'predictions.json'), 'utf8')) as { classes: string[]; model: string };
    const predictionsFile = path.join(inputs.inference, 'predictions.npz');
    const predictions = await readPredictions(predictionsFile, info.classes);
    if (predictions.label.every((label) => label < 0)) {
      throw new InputError(`the inference output ${inputs.inference} has no truth labels; a report needs a labelled sample such as --sample test`, {
        file: predictionsFile,
      });
    }
    const configText = await readFile(config.path, 'utf8');
    const summary = await writeEvaluationRun(outputDir, {
      name: config.name,
      data: {
        classNames: info.classes,
        labels: predictions.label,
        probabilities: predictions.probabilities,
        weights: predictions.weight,
        pt: predictions.pt,
        eta: predictions.eta,
        label: info.model === 'deepjet' ? 'DeepJet' : info.model,
      },
      plan: {
        discriminants: config.discriminants,
        references: [],
        workingPoints: config.workingPoints,
        settings: config.evaluation ?? defaultEvaluationSettings(),
      },
      inputFiles: [predictionsFile],
      provenance: {
        bhive_version: bhiveVersion(),
        config: { path: config.path, sha256: createHash('sha256').update(configText).digest('hex'), text: configText },
        extra: { inference_output: inputs.inference, working_point_output: inputs.workingPoint, model: info.model },
      },
      onProgress: (index, total, name) => reporter.info(`Report: evaluating ${name} (${index + 1}/${total})`),
    });
    for (const d of summary.discriminants) reporter.info(`Report: ${d.label} AUC = ${d.auc.toFixed(4)}`);
    reporter.info('Report: wrote report.html, evaluation.json and the plots');
  },
};
