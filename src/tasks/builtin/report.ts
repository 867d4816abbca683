/**
 * Report: the full evaluation of an Inference output (ROC curves with optional bootstrap
 * bands, working points, rejection table, efficiencies against pT and η, (pT, η)
 * windows, the reference taggers of the config with the ratio panel, and per-process
 * curves) with every plot as PNG, SVG and JSON, `evaluation.json`, and the
 * self-contained `report.html`. Runs after WorkingPoint, whose metrics it repeats.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { defaultEvaluationSettings } from '../../config/evaluation-section.js';
import { evaluateProcesses } from '../../evaluation/processes.js';
import { writeEvaluationRun } from '../../report/evaluation-run.js';
import { bhiveVersion } from '../provenance.js';
import type { TaskDefinition } from '../task.js';
import { loadChainEvaluation } from './chain-evaluation.js';

export const report: TaskDefinition = {
  name: 'Report',
  description: 'full evaluation of the inference output (rejection table, bootstrap bands, efficiency against pT and η, windows) and report.html',
  parameters: [],
  configKeys: ['discriminants', 'workingPoints', 'evaluation', 'referenceTaggers', 'processes'],
  requires: () => [
    { key: 'inference', task: 'Inference' },
    { key: 'workingPoint', task: 'WorkingPoint' },
  ],
  async run({ config, inputs, outputDir, reporter }) {
    const evaluation = await loadChainEvaluation(inputs.inference, config);
    const { jets, predictionsFile } = evaluation;
    const settings = config.evaluation ?? defaultEvaluationSettings();
    const processes = evaluation.processes
      ? evaluateProcesses(evaluation.allJets, config.discriminants, evaluation.processes, evaluation.mask, settings.useWeights)
      : undefined;
    const configText = await readFile(config.path, 'utf8');
    const summary = await writeEvaluationRun(outputDir, {
      name: config.name,
      data: jets.data,
      plan: {
        discriminants: config.discriminants,
        references: jets.references,
        workingPoints: config.workingPoints,
        settings,
      },
      ...(processes ? { processes } : {}),
      inputFiles: [predictionsFile],
      provenance: {
        bhive_version: bhiveVersion(),
        config: { path: config.path, sha256: createHash('sha256').update(configText).digest('hex'), text: configText },
        extra: { inference_output: inputs.inference, working_point_output: inputs.workingPoint, model: evaluation.model },
      },
      onProgress: (index, total, name) => reporter.info(`Report: evaluating ${name} (${index + 1}/${total})`),
    });
    for (const d of summary.discriminants) reporter.info(`Report: ${d.label} AUC = ${d.auc.toFixed(4)}`);
    reporter.info('Report: wrote report.html, evaluation.json and the plots');
  },
};
