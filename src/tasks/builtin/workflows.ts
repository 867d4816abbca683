/**
 * Workflow presets: a whole pipeline under one task name, with the parameter values that
 * define it forced on every task below. Each writes `workflow.json` with the outputs of
 * the chain and the final metrics.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParameterValue } from '../parameters.js';
import type { TaskDefinition } from '../task.js';

/** Define a preset that runs the chain up to WorkingPoint with `forced` parameter values. */
export function workflowPreset(name: string, description: string, forced: Record<string, ParameterValue>): TaskDefinition {
  return {
    name,
    description,
    parameters: [],
    configKeys: [],
    requires: () => [{ key: 'workingPoint', task: 'WorkingPoint', overrides: forced }],
    async run({ inputs, outputDir, reporter }) {
      const metrics = JSON.parse(await readFile(path.join(inputs.workingPoint, 'metrics.json'), 'utf8')) as {
        inference: string;
        discriminants: Record<string, { auc: number }>;
      };
      const summary = {
        workflow: name,
        forcedParameters: forced,
        outputs: { workingPoint: inputs.workingPoint, inference: metrics.inference },
        auc: Object.fromEntries(Object.entries(metrics.discriminants).map(([d, entry]) => [d, entry.auc])),
      };
      await writeFile(path.join(outputDir, 'workflow.json'), `${JSON.stringify(summary, null, 2)}\n`);
      const aucs = Object.entries(summary.auc).map(([d, auc]) => `${d} ${auc.toFixed(3)}`).join(', ');
      reporter.info(`${name}: AUC ${aucs}`);
    },
  };
}

export const deepJetWorkflow = workflowPreset(
  'DeepJetWorkflow',
  'the full chain with the DeepJet model: dataset, training, inference, ROC curves and working points',
  { model: 'deepjet' },
);
