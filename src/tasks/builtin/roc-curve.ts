/** ROCCurve: discriminants, ROC curves and AUC from an Inference output. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { computeRocs, writeRocPlots } from '../../evaluation/roc-report.js';
import type { TaskDefinition } from '../task.js';
import { loadInferenceOutput } from './evaluation-input.js';

export const rocCurve: TaskDefinition = {
  name: 'ROCCurve',
  description: 'ROC curves and AUC of every configured discriminant on the inference output (PNG, SVG, CSV, roc.json)',
  parameters: [],
  configKeys: ['discriminants'],
  requires: () => [{ key: 'inference', task: 'Inference' }],
  check(_parameters, { config }) {
    if (config.discriminants.length === 0) {
      throw new ConfigError(`${config.path} defines no discriminants; add a discriminants section such as BvsL: { signal: [b], background: [uds, g] }`, {
        configFile: config.path,
        configKey: 'discriminants',
      });
    }
  },
  async run({ config, inputs, outputDir, reporter }) {
    const { input } = await loadInferenceOutput(inputs.inference);
    const rocs = computeRocs(input, config.discriminants);
    writeRocPlots(outputDir, rocs);
    const summary: Record<string, { auc: number; num_signal_jets: number; num_background_jets: number; signal: string[]; background: string[] }> = {};
    for (const roc of rocs) {
      summary[roc.name] = {
        auc: roc.curve.auc,
        num_signal_jets: roc.curve.numSignal,
        num_background_jets: roc.curve.numBackground,
        signal: [...roc.discriminant.signal],
        background: [...roc.discriminant.background],
      };
      reporter.info(`ROCCurve: ${roc.label} AUC = ${roc.curve.auc.toFixed(4)} (${roc.curve.numSignal} signal, ${roc.curve.numBackground} background jets)`);
    }
    await writeFile(path.join(outputDir, 'roc.json'), `${JSON.stringify(summary, null, 2)}\n`);
  },
};
