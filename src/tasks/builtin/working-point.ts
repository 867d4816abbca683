/**
 * WorkingPoint: thresholds and signal efficiencies at the configured mistag rates, and
 * metrics.json with the AUC and working points of every discriminant.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { computeWorkingPoints, writeWorkingPoints } from '../../evaluation/working-point-report.js';
import type { TaskDefinition } from '../task.js';
import { loadChainEvaluation, toEvaluationInput } from './chain-evaluation.js';

export const workingPoint: TaskDefinition = {
  name: 'WorkingPoint',
  description: 'working points at the configured mistag rates (CSV, plots) and metrics.json with AUC and working points',
  parameters: [],
  configKeys: ['discriminants', 'workingPoints', 'processes'],
  requires: () => [
    { key: 'inference', task: 'Inference' },
    { key: 'roc', task: 'ROCCurve' },
  ],
  async run({ config, inputs, outputDir, reporter }) {
    // The jets that pass the evaluation cut of their process, as in ROCCurve.
    const input = toEvaluationInput((await loadChainEvaluation(inputs.inference, config)).jets);
    const results = computeWorkingPoints(input, config.discriminants, config.workingPoints);
    writeWorkingPoints(outputDir, results);
    const aucs = JSON.parse(await readFile(path.join(inputs.roc, 'roc.json'), 'utf8')) as Record<string, { auc: number }>;
    const discriminants: Record<string, unknown> = {};
    for (const result of results) {
      discriminants[result.name] = {
        auc: aucs[result.name].auc,
        working_points: result.workingPoints.map((wp) => ({
          target_mistag: wp.targetMistag,
          threshold: Number.isFinite(wp.threshold) ? wp.threshold : null,
          achieved_mistag: wp.achievedMistag,
          signal_efficiency: wp.signalEfficiency,
          signal_efficiency_uncertainty: wp.signalEfficiencyUncertainty,
          num_signal_jets: wp.numSignal,
          num_background_jets: wp.numBackground,
          ...(wp.belowBackgroundResolution ? { note: wp.note } : {}),
        })),
      };
      const text = result.workingPoints
        .map((wp) => `${(100 * wp.signalEfficiency).toFixed(1)}% at ${String(100 * wp.targetMistag)}% mistag${wp.belowBackgroundResolution ? ' (below resolution)' : ''}`)
        .join(', ');
      reporter.info(`WorkingPoint: ${result.label}: ${text}`);
    }
    const metrics = { config: config.name, inference: inputs.inference, discriminants };
    await writeFile(path.join(outputDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  },
};
