/**
 * The jets that the chain's evaluation tasks (ROCCurve, WorkingPoint, Report) evaluate:
 * an Inference output with its reference-tagger scores (spectators named under
 * `reference_taggers`), the process of each jet, and the per-process evaluation cuts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BhiveConfig } from '../../config/types.js';
import { predictionColumns, readPredictions } from '../../dataset/predictions.js';
import { ConfigError, InputError } from '../../errors.js';
import type { ReferenceTagger } from '../../evaluation/discriminant-jets.js';
import type { EvaluationInput } from '../../evaluation/evaluation-input.js';
import { applyProcessCuts, type EvaluationJets, type ProcessColumn } from '../../evaluation/processes.js';
import { parseExpression } from '../../columnar/expression.js';

/** Jets, reference scores and processes of one Inference output, as the evaluation tasks read them. */
export interface ChainEvaluation {
  /** Jets that pass the evaluation cut of their process (all jets without cuts), with the reference scores. */
  jets: EvaluationJets;
  /** Every jet of the inference output, before the evaluation cuts. */
  allJets: EvaluationJets;
  /** Process of each jet of `allJets`, with the cuts; undefined when the dataset has no processes. */
  processes?: ProcessColumn;
  /** 1 for each jet of `allJets` that passes its process's cut [jets]. */
  mask: Uint8Array;
  /** Model name from predictions.json, such as 'deepjet'. */
  model: string;
  predictionsFile: string;
}

interface PredictionsInfo {
  classes: string[];
  model: string;
  spectators?: string[];
  processes?: string[];
}

/** Returns the legend name of a model: 'DeepJet' for deepjet, else the model name. */
export function modelLegend(model: string): string {
  return model === 'deepjet' ? 'DeepJet' : model;
}

/**
 * Loads predictions.npz of an Inference output and applies the config's per-process
 * evaluation cuts. The jets enter without training weights, so the efficiencies are those
 * of the sample's natural pT and η spectrum.
 * @throws InputError for an output without truth labels or without a spectator that a
 *   reference tagger needs; ConfigError for evaluation cuts on a dataset without processes
 *   or on an unknown column.
 */
export async function loadChainEvaluation(inferenceDir: string, config: Pick<BhiveConfig, 'path' | 'processes' | 'referenceTaggers'>): Promise<ChainEvaluation> {
  const info = JSON.parse(await readFile(path.join(inferenceDir, 'predictions.json'), 'utf8')) as PredictionsInfo;
  const predictionsFile = path.join(inferenceDir, 'predictions.npz');
  const predictions = await readPredictions(predictionsFile, info.classes, { spectators: info.spectators, processes: info.processes });
  if (predictions.label.every((label) => label < 0)) {
    throw new InputError(
      `the inference output ${inferenceDir} has no truth labels (collision data, or a sample read with require_labels false); ROC curves and working points need a labelled sample such as --sample test`,
      { file: predictionsFile },
    );
  }

  const references: ReferenceTagger[] = (config.referenceTaggers ?? []).map((tagger) => {
    const spectators = predictions.spectators;
    const column = spectators?.names.indexOf(tagger.spectator) ?? -1;
    if (spectators === undefined || column < 0) {
      throw new InputError(
        `reference tagger '${tagger.name}' reads the spectator '${tagger.spectator}', but the inference output ${inferenceDir} ` +
          `has the spectators [${spectators?.names.join(', ') ?? ''}]; construct the dataset again with ${tagger.spectator} under spectators`,
        { file: predictionsFile },
      );
    }
    const width = spectators.names.length;
    const scores = Float64Array.from({ length: predictions.label.length }, (_, i) => spectators.values[i * width + column]);
    return { name: tagger.name, signal: [...tagger.signal], background: [...tagger.background], scores };
  });
  const allJets: EvaluationJets = {
    data: {
      classNames: info.classes,
      labels: predictions.label,
      probabilities: predictions.probabilities,
      weights: predictions.weight,
      pt: predictions.pt,
      eta: predictions.eta,
      label: modelLegend(info.model),
    },
    references,
  };

  const cuts = (config.processes ?? []).filter((p) => p.evaluationSelection !== undefined);
  const mask = new Uint8Array(predictions.label.length).fill(1);
  const result: ChainEvaluation = { jets: allJets, allJets, mask, model: info.model, predictionsFile };
  if (predictions.processes === undefined) {
    if (cuts.length > 0) {
      throw new ConfigError(
        `${config.path} sets evaluation_selection for process '${cuts[0].name}', but the inference output ${inferenceDir} has no process index; ` +
          'construct the dataset again with the processes section',
        { configFile: config.path, configKey: `processes.${cuts[0].name}.evaluation_selection` },
      );
    }
    return result;
  }

  const names = predictions.processes.names;
  for (const cut of cuts) {
    if (!names.includes(cut.name)) {
      throw new ConfigError(
        `process '${cut.name}' has an evaluation_selection but is not among the processes of the inference output ${inferenceDir} (${names.join(', ')}); ` +
          'construct the dataset again with this config',
        { configFile: config.path, configKey: `processes.${cut.name}.evaluation_selection` },
      );
    }
  }
  const selections = Object.fromEntries(cuts.map((p) => [p.name, p.evaluationSelection]));
  result.processes = { names, index: predictions.processes.index, selections };
  if (cuts.length === 0) return result;

  const columns = new Map(predictionColumns(predictions).map((c) => [c.name, c.values] as const));
  const cut = applyProcessCuts(allJets, result.processes, (name) => columns.get(name), [...columns.keys()]);
  result.jets = cut.jets;
  result.mask = cut.mask;
  return result;
}

/** Returns the model outputs of `jets` as the input of the ROC and working-point functions. */
export function toEvaluationInput(jets: EvaluationJets): EvaluationInput {
  const { data } = jets;
  if (data.probabilities === undefined) throw new RangeError('evaluation jets without class probabilities');
  return { probabilities: data.probabilities, labels: data.labels, classNames: data.classNames, label: data.label };
}

/**
 * Check before any task runs that every process's `evaluation_selection` reads only columns
 * that the inference output will have, and none that would bias the curves: pt, eta, weight,
 * process and the spectators are allowed; label, is<class> and prob_<class> are not.
 * @throws ConfigError naming the process, the unknown column and the columns available.
 */
export function checkEvaluationSelections(config: Pick<BhiveConfig, 'path' | 'processes' | 'classes' | 'spectators'>): void {
  const spectators = config.spectators ?? [];
  const empty = new Float32Array(0);
  const columns = predictionColumns({
    classes: config.classes.map((c) => c.name),
    probabilities: empty,
    label: new Int32Array(0),
    weight: empty,
    pt: empty,
    eta: empty,
    ...(spectators.length > 0 ? { spectators: { names: spectators, values: empty } } : {}),
    processes: { names: [], index: new Int32Array(0) },
  }).map((c) => c.name);
  // Cuts on the truth or on the tagger's output would bias the curves they select jets for.
  const classNames = config.classes.map((c) => c.name);
  const biasing = new Set(['label', ...classNames.map((c) => `is${c}`), ...classNames.map((c) => `prob_${c}`)]);
  for (const process of config.processes ?? []) {
    if (process.evaluationSelection === undefined) continue;
    for (const name of parseExpression(process.evaluationSelection).names) {
      if (biasing.has(name)) {
        throw new ConfigError(
          `evaluation_selection of process '${process.name}' reads '${name}', the truth label or the tagger's output, which would bias its ROC curves; ` +
            'cut on kinematics (pt, eta) or spectators instead',
          { configFile: config.path, configKey: `processes.${process.name}.evaluation_selection` },
        );
      }
      if (!columns.includes(name)) {
        throw new ConfigError(
          `evaluation_selection of process '${process.name}' reads the column '${name}', which the inference output does not have; ` +
            `available columns: ${columns.join(', ')}`,
          { configFile: config.path, configKey: `processes.${process.name}.evaluation_selection` },
        );
      }
    }
  }
}
