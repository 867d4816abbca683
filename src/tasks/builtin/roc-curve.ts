/**
 * ROCCurve: discriminants, ROC curves and AUC from an Inference output. The reference
 * taggers of the config are drawn on the same jets, with the ratio of mistag rates (new
 * over reference). For datasets with processes, each process also gets its own curve after
 * its evaluation cut.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { buildDiscriminantJets } from '../../evaluation/discriminant-jets.js';
import type { DiscriminantEvaluation } from '../../evaluation/evaluate.js';
import { summariseProcessRocs, writeProcessRocs, type ProcessRocSummary } from '../../evaluation/process-output.js';
import { evaluateProcesses } from '../../evaluation/processes.js';
import { writeReferenceRatios } from '../../evaluation/reference-ratio.js';
import { writeRocPlots, type RocResult } from '../../evaluation/roc-report.js';
import { computeRoc } from '../../evaluation/roc.js';
import type { TaskDefinition } from '../task.js';
import { checkEvaluationSelections, loadChainEvaluation } from './chain-evaluation.js';

/** PNG width of the reference-ratio and per-process plots, in pixels. */
const PNG_WIDTH = 1280;

/** One entry of roc.json, keyed by discriminant or reference-tagger name. */
interface RocJsonEntry {
  auc: number;
  num_signal_jets: number;
  num_background_jets: number;
  signal: string[];
  background: string[];
  /** 'stored' for a reference tagger; absent for discriminants of the model. */
  kind?: 'stored';
  /** Spectator holding a reference tagger's score. */
  score?: string;
  processes?: ProcessRocSummary[];
}

export const rocCurve: TaskDefinition = {
  name: 'ROCCurve',
  description: 'ROC curves and AUC of every configured discriminant and reference tagger on the inference output, per process where configured (PNG, SVG, CSV, roc.json)',
  parameters: [],
  configKeys: ['discriminants', 'referenceTaggers', 'processes'],
  requires: () => [{ key: 'inference', task: 'Inference' }],
  check(_parameters, { config }) {
    checkEvaluationSelections(config);
    if (config.discriminants.length === 0) {
      throw new ConfigError(`${config.path} defines no discriminants; add a discriminants section such as BvsL: { signal: [b], background: [uds, g] }`, {
        configFile: config.path,
        configKey: 'discriminants',
      });
    }
  },
  async run({ config, inputs, outputDir, reporter }) {
    const evaluation = await loadChainEvaluation(inputs.inference, config);
    const { jets } = evaluation;
    if (jets.data.labels.length < evaluation.allJets.data.labels.length) {
      reporter.info(`ROCCurve: ${jets.data.labels.length} of ${evaluation.allJets.data.labels.length} jets pass the evaluation cuts of their process`);
    }
    const groups = buildDiscriminantJets(jets.data, config.discriminants, jets.references, false);
    const rocs: RocResult[] = groups.map((group) => ({
      name: group.name,
      label: group.label,
      discriminant: group.classes,
      curve: computeRoc(group.signal.scores, group.background.scores, { name: `discriminant '${group.name}'` }),
      numZeroDenominator: group.numZeroDenominator,
    }));
    writeRocPlots(outputDir, rocs);
    // Only the fields that writeReferenceRatios reads are filled.
    const asEvaluations: DiscriminantEvaluation[] = groups.map((group, k) => ({ jets: group, curve: rocs[k].curve, workingPoints: [], rejection: [], windows: [] }));
    writeReferenceRatios(outputDir, asEvaluations, PNG_WIDTH);

    const processResults = evaluation.processes
      ? evaluateProcesses(evaluation.allJets, config.discriminants, evaluation.processes, evaluation.mask, false)
      : undefined;
    if (processResults) {
      writeProcessRocs(
        outputDir,
        rocs.map((roc) => ({ name: roc.name, label: roc.label, classes: roc.discriminant, curve: roc.curve })),
        processResults,
        PNG_WIDTH,
      );
    }

    const summary: Record<string, RocJsonEntry> = {};
    groups.forEach((group, k) => {
      const roc = rocs[k];
      const entry: RocJsonEntry = {
        auc: roc.curve.auc,
        num_signal_jets: roc.curve.numSignal,
        num_background_jets: roc.curve.numBackground,
        signal: [...roc.discriminant.signal],
        background: [...roc.discriminant.background],
      };
      if (group.kind === 'stored') {
        entry.kind = 'stored';
        entry.score = config.referenceTaggers?.find((r) => r.name === group.name)?.spectator;
      }
      if (processResults) entry.processes = summariseProcessRocs(processResults, group.name);
      summary[group.name] = entry;
      reporter.info(`ROCCurve: ${roc.label} AUC = ${roc.curve.auc.toFixed(4)} (${roc.curve.numSignal} signal, ${roc.curve.numBackground} background jets)`);
      for (const process of entry.processes ?? []) {
        if (process.num_jets === 0) continue;
        const auc = process.auc === null ? 'no curve' : `AUC = ${process.auc.toFixed(4)}`;
        reporter.info(`ROCCurve:   process ${process.process}: ${auc} (${process.num_signal_jets} signal, ${process.num_background_jets} background jets)`);
      }
    });
    await writeFile(path.join(outputDir, 'roc.json'), `${JSON.stringify(summary, null, 2)}\n`);
  },
};
