/**
 * Per-process evaluation: the physics process of each jet (an index into process names),
 * the per-process evaluation cuts, and the ROC curve of every discriminant and reference
 * tagger on the jets of each process alone.
 */
import { evaluateExpression, ExpressionError, parseExpression } from '../columnar/expression.js';
import { ConfigError, InputError } from '../errors.js';
import { buildDiscriminantJets, type DiscriminantJets, type EvaluationData, type ReferenceTagger } from './discriminant-jets.js';
import type { DiscriminantSpec } from '../config/types.js';
import { computeRoc, type RocCurve } from './roc.js';

/** The process of each jet and each process's evaluation cut. */
export interface ProcessColumn {
  /** Process names in index order. */
  names: readonly string[];
  /** Process index per jet, int32 [jets], each in 0 .. names.length - 1. */
  index: Int32Array;
  /** Evaluation cut per process name, an expression over the evaluation columns; absent for no cut. */
  selections?: Readonly<Record<string, string | undefined>>;
}

/** Jets of one evaluation together with their reference-tagger scores. */
export interface EvaluationJets {
  data: EvaluationData;
  references: ReferenceTagger[];
}

/** The ROC curve of one discriminant or reference tagger on the jets of one process. */
export interface ProcessRoc {
  name: string;
  label: string;
  kind: DiscriminantJets['kind'];
  numSignal: number;
  numBackground: number;
  /** Undefined when the process has no signal or no background jets of this discriminant. */
  curve?: RocCurve;
  /** Set when the curve could not be computed. */
  note?: string;
}

/** Every discriminant's ROC curve on the jets of one process, after its evaluation cut. */
export interface ProcessEvaluation {
  process: string;
  /** The evaluation cut of the process, or undefined for none. */
  selection?: string;
  /** Jets of the process before its evaluation cut. */
  numJetsBeforeCut: number;
  /** Jets of the process that passed its evaluation cut. */
  numJets: number;
  rocs: ProcessRoc[];
}

/**
 * Returns a mask [jets], 1 where the jet passes the evaluation cut of its process.
 * `column(name)` returns an evaluation column [jets] (such as pt or a spectator), or
 * undefined for an unknown name.
 * @throws ConfigError naming `processes.<name>.evaluation_selection` for a syntax error or an unknown column;
 *   InputError for a process index outside the names.
 */
export function processCutMask(processes: ProcessColumn, column: (name: string) => ArrayLike<number> | undefined, columnNames: readonly string[]): Uint8Array {
  const numJets = processes.index.length;
  for (let i = 0; i < numJets; i++) {
    const index = processes.index[i];
    if (index < 0 || index >= processes.names.length) {
      throw new InputError(`jet ${i} has process index ${index}, outside 0-${processes.names.length - 1} (${processes.names.join(', ')})`);
    }
  }
  const mask = new Uint8Array(numJets).fill(1);
  processes.names.forEach((name, k) => {
    const text = processes.selections?.[name];
    if (text === undefined) return;
    let values: Float64Array;
    try {
      values = evaluateExpression(parseExpression(text), numJets, column);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      throw new ConfigError(
        `evaluation cut of process '${name}' cannot be computed: ${error.message}\nThe cut may use the prediction columns ${columnNames.join(', ')}`,
        { configKey: `processes.${name}.evaluation_selection` },
        { cause: error },
      );
    }
    for (let i = 0; i < numJets; i++) {
      if (processes.index[i] === k && !(values[i] !== 0 && !Number.isNaN(values[i]))) mask[i] = 0;
    }
  });
  return mask;
}

/**
 * Applies the evaluation cut of each jet's process: returns the passing jets and the mask
 * [jets] over all jets. Without any cut the jets are returned as they are.
 * @throws ConfigError for a syntax error or an unknown column in a cut.
 */
export function applyProcessCuts(
  jets: EvaluationJets,
  processes: ProcessColumn,
  column: (name: string) => ArrayLike<number> | undefined,
  columnNames: readonly string[],
): { jets: EvaluationJets; mask: Uint8Array } {
  const mask = processCutMask(processes, column, columnNames);
  if (mask.every((passes) => passes === 1)) return { jets, mask };
  return { jets: selectEvaluationJets(jets, maskIndices(mask)), mask };
}

/** Returns the jets at `indices` [selected jets], with their reference scores, in that order. */
export function selectEvaluationJets(jets: EvaluationJets, indices: Int32Array): EvaluationJets {
  const { data } = jets;
  const numClasses = data.classNames.length;
  const pick = (values: ArrayLike<number>): Float64Array => Float64Array.from(indices, (i) => values[i]);
  const subset: EvaluationData = { classNames: data.classNames, labels: Int32Array.from(indices, (i) => data.labels[i]) };
  if (data.probabilities !== undefined) {
    const probabilities = new Float32Array(indices.length * numClasses);
    indices.forEach((i, j) => probabilities.set(data.probabilities!.subarray(i * numClasses, (i + 1) * numClasses), j * numClasses));
    subset.probabilities = probabilities;
  }
  if (data.weights !== undefined) subset.weights = pick(data.weights);
  if (data.pt !== undefined) subset.pt = pick(data.pt);
  if (data.eta !== undefined) subset.eta = pick(data.eta);
  if (data.label !== undefined) subset.label = data.label;
  return { data: subset, references: jets.references.map((r) => ({ ...r, scores: pick(r.scores) })) };
}

/** Returns the positions [selected jets] where `mask` is non-zero, increasing. */
export function maskIndices(mask: Uint8Array, where: (i: number) => boolean = () => true): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0 && where(i)) count++;
  const indices = new Int32Array(count);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i] !== 0 && where(i)) indices[j++] = i;
  return indices;
}

/**
 * Computes, for every process, the ROC curve of each discriminant and reference tagger on
 * the jets of that process that pass its evaluation cut. A process without signal or
 * background jets for a discriminant gets a note in place of the curve.
 * @throws ConfigError for an unknown class or column in a cut; InputError for mismatched column lengths.
 */
export function evaluateProcesses(
  jets: EvaluationJets,
  discriminants: readonly DiscriminantSpec[],
  processes: ProcessColumn,
  mask: Uint8Array,
  useWeights: boolean,
): ProcessEvaluation[] {
  return processes.names.map((process, k) => {
    const numJetsBeforeCut = processes.index.reduce((n, index) => n + (index === k ? 1 : 0), 0);
    const indices = maskIndices(mask, (i) => processes.index[i] === k);
    const subset = selectEvaluationJets(jets, indices);
    const groups = buildDiscriminantJets(subset.data, discriminants, subset.references, useWeights);
    const rocs = groups.map((group): ProcessRoc => {
      const roc: ProcessRoc = {
        name: group.name,
        label: group.label,
        kind: group.kind,
        numSignal: group.signal.scores.length,
        numBackground: group.background.scores.length,
      };
      if (roc.numSignal === 0 || roc.numBackground === 0) {
        roc.note = `process '${process}' has ${roc.numSignal} signal and ${roc.numBackground} background jets for '${group.name}'; a ROC curve needs both`;
        return roc;
      }
      roc.curve = computeRoc(group.signal.scores, group.background.scores, {
        signalWeights: group.signal.weights,
        backgroundWeights: group.background.weights,
        name: `'${group.name}' in process '${process}'`,
      });
      return roc;
    });
    const selection = processes.selections?.[process];
    return { process, ...(selection === undefined ? {} : { selection }), numJetsBeforeCut, numJets: indices.length, rocs };
  });
}
