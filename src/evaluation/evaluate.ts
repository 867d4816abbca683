/**
 * A full evaluation of one tagger output: per discriminant the ROC curve and AUC, the
 * working points, the rejection table, optional bootstrap bands, efficiencies against pT
 * and η at each working point, and ROC curves in (pT, η) windows. Pure computation:
 * evaluation-output.ts writes the files.
 */
import type { DiscriminantSpec, EvaluationSettings } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { efficiencyInBins, quantileEdges, type BinnedEfficiency } from './binned-efficiency.js';
import { bootstrapRoc, type RocBand } from './bootstrap.js';
import { buildDiscriminantJets, type DiscriminantJets, type EvaluationData, type ReferenceTagger } from './discriminant-jets.js';
import { rejectionAtEfficiencies, type RejectionPoint } from './rejection.js';
import { computeRoc, type RocCurve } from './roc.js';
import { evaluateWindows, type WindowResult } from './windows.js';
import { findWorkingPoints, type WorkingPoint } from './working-points.js';

/** Bins used for efficiencies against pT and η when the settings give no edges. */
export const DEFAULT_NUM_KINEMATIC_BINS = 6;

/** What to evaluate. */
export interface EvaluationPlan {
  discriminants: readonly DiscriminantSpec[];
  references: readonly ReferenceTagger[];
  /** Mistag rates of the working points, each in (0, 1]. */
  workingPoints: readonly number[];
  settings: EvaluationSettings;
}

/** Efficiencies of signal and background jets in bins of one variable, at each working point. */
export interface KinematicEfficiencies {
  variable: 'pt' | 'eta';
  edges: Float64Array;
  /** One entry per working point, in the order of the plan's mistag rates. */
  points: Array<{ workingPoint: WorkingPoint; signal: BinnedEfficiency; background: BinnedEfficiency }>;
}

/** Everything computed for one discriminant. */
export interface DiscriminantEvaluation {
  jets: DiscriminantJets;
  curve: RocCurve;
  workingPoints: WorkingPoint[];
  rejection: RejectionPoint[];
  band?: RocBand;
  /** Undefined when the input has no pT column. */
  efficiencyVsPt?: KinematicEfficiencies;
  /** Undefined when the input has no η column. */
  efficiencyVsEta?: KinematicEfficiencies;
  windows: WindowResult[];
}

/** Progress callback: called before each discriminant with its position and name. */
export type EvaluationProgress = (index: number, total: number, name: string) => void;

/**
 * Evaluates every discriminant and reference tagger of `plan` on `data`.
 *
 * Throws a ConfigError for unknown classes, windows without pT and η columns, or invalid
 * targets, and an InputError for a discriminant without signal or background jets.
 */
export function evaluateTagger(data: EvaluationData, plan: EvaluationPlan, onProgress?: EvaluationProgress): DiscriminantEvaluation[] {
  const { settings } = plan;
  if (settings.windows.length > 0 && (data.pt === undefined || data.eta === undefined)) {
    throw new ConfigError('(pT, η) windows need pt and eta columns in the input; configure both or remove the windows', {
      configKey: 'evaluation.windows',
    });
  }
  const all = buildDiscriminantJets(data, plan.discriminants, plan.references, settings.useWeights);
  return all.map((jets, index) => {
    onProgress?.(index, all.length, jets.name);
    const name = `discriminant '${jets.name}'`;
    const { signal, background } = jets;
    const weights = { signalWeights: signal.weights, backgroundWeights: background.weights, name };
    const curve = computeRoc(signal.scores, background.scores, weights);
    const workingPoints = findWorkingPoints(signal.scores, background.scores, plan.workingPoints, weights);
    const result: DiscriminantEvaluation = {
      jets,
      curve,
      workingPoints,
      rejection: rejectionAtEfficiencies(curve, settings.rejectionEfficiencies, background.scores, background.weights, name),
      windows: evaluateWindows(signal, background, settings.windows, settings.rejectionEfficiencies, jets.name),
    };
    if (settings.bootstrap !== undefined) {
      result.band = bootstrapRoc(signal.scores, background.scores, { ...weights, ...settings.bootstrap });
    }
    if (signal.pt !== undefined && background.pt !== undefined) {
      result.efficiencyVsPt = kinematicEfficiencies(jets, 'pt', settings.ptBins, workingPoints);
    }
    if (signal.eta !== undefined && background.eta !== undefined) {
      result.efficiencyVsEta = kinematicEfficiencies(jets, 'eta', settings.etaBins, workingPoints);
    }
    return result;
  });
}

function kinematicEfficiencies(
  jets: DiscriminantJets,
  variable: 'pt' | 'eta',
  configuredEdges: readonly number[] | undefined,
  workingPoints: readonly WorkingPoint[],
): KinematicEfficiencies | undefined {
  const signalValues = jets.signal[variable] as Float64Array;
  const backgroundValues = jets.background[variable] as Float64Array;
  let edges: Float64Array | undefined;
  if (configuredEdges !== undefined) {
    edges = Float64Array.from(configuredEdges);
  } else {
    const combined = new Float64Array(signalValues.length + backgroundValues.length);
    combined.set(signalValues);
    combined.set(backgroundValues, signalValues.length);
    edges = quantileEdges(combined, DEFAULT_NUM_KINEMATIC_BINS);
  }
  if (edges === undefined) return undefined;
  const binEdges = edges;
  return {
    variable,
    edges: binEdges,
    points: workingPoints.map((workingPoint) => ({
      workingPoint,
      signal: efficiencyInBins(jets.signal.scores, signalValues, binEdges, workingPoint.threshold, jets.signal.weights),
      background: efficiencyInBins(jets.background.scores, backgroundValues, binEdges, workingPoint.threshold, jets.background.weights),
    })),
  };
}
