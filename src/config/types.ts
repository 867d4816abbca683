/**
 * The resolved physics configuration: what `loadConfig` returns after validating a YAML
 * file. Field names are camelCase here; the YAML keys are snake_case.
 */

import type { ModelOptions } from '../models/options.js';

/** How a per-jet kinematic variable is read from the tree. */
export interface KinematicSource {
  branch: string;
  /** When true the branch stores log10 of the value, so the reader takes 10^x. */
  log10: boolean;
  /** Factor applied after log10, such as 0.001 for a pT stored in MeV; default 1. */
  scale?: number;
}

/** One padded candidate collection, such as charged particles or secondary vertices. */
export interface CandidateGroup {
  name: string;
  /**
   * Per-jet branch with the number of candidates. Required by the per_jet processor;
   * processors of event-level collections take the candidates from `match` or `link` instead.
   */
  counter?: string;
  /** Candidates of an event-level collection assigned to a jet by ΔR (the nanoaod processor). */
  match?: DeltaRMatch;
  /** Candidates assigned to a jet through index branches (the pfnano processor). */
  link?: IndexLink;
  /** Sort each jet's candidates by this feature before clipping; undefined keeps file order. */
  sortBy?: { feature: string; descending: boolean };
  /** Candidates kept per jet; more are clipped, fewer are padded with `padValue`. */
  maxCandidates: number;
  padValue: number;
  features: string[];
}

/**
 * Candidates of an event-level collection (such as NanoAOD `SV_*`) that belong to a jet:
 * those with ΔR(jet, candidate) < `deltaR` in the same event.
 */
export interface DeltaRMatch {
  /** Cone size in units of ΔR = sqrt(Δη² + Δφ²). */
  deltaR: number;
  /** Branch with the candidates' η, such as SV_eta. */
  eta: string;
  /** Branch with the candidates' φ in radians, such as SV_phi. */
  phi: string;
}

/**
 * Candidates of an event-level collection that name their jet by index (PFNano
 * `JetPFCands_jetIdx`), optionally pointing into another collection (`JetPFCands_pFCandsIdx`
 * into `PFCands_*`). Features from `JetPFCands_*` are read per link entry; other features
 * are read from the target collection through `candidateIndex`.
 */
export interface IndexLink {
  /** Branch with the index of the jet within its event, one value per link entry. */
  jetIndex: string;
  /** Branch with the index into the target collection; undefined when the link entries are the candidates. */
  candidateIndex?: string;
}

/** Comparison operators of label rules; `in` and `not_in` take a list of values, OR-ed. */
export type LabelOperator = 'in' | 'not_in' | 'lt' | 'le' | 'gt' | 'ge';

/** One condition of a label rule on a per-jet branch. */
export interface LabelCondition {
  branch: string;
  operator: LabelOperator;
  /** One value for lt/le/gt/ge; one or more for in/not_in. */
  values: number[];
}

/**
 * A truth class or a drop category. With `flags`, a jet belongs to it when any flag branch
 * is non-zero; with `conditions` (a rule), when every condition holds. Exactly one is non-empty.
 */
export interface FlagGroup {
  name: string;
  flags: string[];
  conditions?: LabelCondition[];
}

/**
 * A physics process: the input files whose names match `patterns`, with an optional extra
 * selection and a sampling weight that multiplies the (pT, η) weight of its jets.
 */
export interface ProcessSpec {
  name: string;
  /** File-name globs (`*`, `?`, `[...]`), matched against the base name of each input file. */
  patterns: string[];
  /** In (0, 1]; default 1. */
  weight: number;
  /** Expression AND-ed with the config's `selection` for the jets of this process. */
  selection?: string;
  /**
   * Expression that the evaluation jets of this process must pass, over the prediction
   * columns (`pt` in GeV, `eta`, `weight` and the spectator names).
   */
  evaluationSelection?: string;
}

/** A score kept as a spectator (such as Jet_btagDeepFlavB) that the evaluation tasks draw beside the trained model. */
export interface ChainReferenceTagger {
  name: string;
  /** Spectator name of the score; a higher score is more signal-like. */
  spectator: string;
  signal: string[];
  background: string[];
}

/** Handling of NaN and ±Infinity in one array of a jet. */
export type NonFinitePolicy = { action: 'drop' } | { action: 'replace'; value: number };

/** Acceptance cuts applied before labelling. pT in GeV. */
export interface Cuts {
  ptMin?: number;
  ptMax?: number;
  absEtaMax?: number;
}

/**
 * (pT, η) binning for the reweighting histograms and how weights are computed: 'reference'
 * (default) gives every class the (pT, η) shape of `referenceClass`; 'flat' makes every
 * class uniform in the (pT, η) bins. pT in GeV.
 */
export interface Reweighting {
  method?: 'reference' | 'flat';
  /** Required with the 'reference' method. */
  referenceClass?: string;
  ptBins: number[];
  etaBins: number[];
}

/**
 * How a discriminant combines class probabilities: 'ratio' is the CMS style
 * P(signal) / (P(signal) + P(background)); 'log_likelihood_ratio' is the ATLAS style
 * ln(P(signal) / sum_k f_k P(background class k)) with background fractions f_k.
 */
export type DiscriminantKind = 'ratio' | 'log_likelihood_ratio';

/** A discriminant built from the probabilities of signal and background classes. */
export interface DiscriminantSpec {
  name: string;
  signal: string[];
  background: string[];
  /** Default 'ratio'. */
  kind?: DiscriminantKind;
  /**
   * For 'log_likelihood_ratio' only: the fraction f_k of each background class, in the
   * order of `background`, each in [0, 1] and summing to 1. Default: equal fractions.
   */
  backgroundFractions?: number[];
}

/** A (pT, η) window in which ROC curves are computed separately. pT in GeV; minimum included, maximum excluded. */
export interface EvaluationWindow {
  name: string;
  ptMin: number;
  ptMax: number;
  absEtaMin: number;
  absEtaMax: number;
}

/** Settings of the extra evaluation outputs (the `evaluation` section of a config). */
export interface EvaluationSettings {
  /** Signal efficiencies at which the rejection (1 / mistag rate) is tabulated, such as 0.5, 0.7, 0.85. */
  rejectionEfficiencies: number[];
  /** Bootstrap uncertainty bands of the ROC curves; undefined for none. */
  bootstrap?: { replicas: number; seed: number };
  /** pT bin edges (GeV) of the efficiency-against-pT plots; undefined to derive them from the data. */
  ptBins?: number[];
  /** η bin edges of the efficiency-against-η plots; undefined to derive them from the data. */
  etaBins?: number[];
  windows: EvaluationWindow[];
  /** Use the per-jet weights of the input in ROC curves and working points; default false. */
  useWeights: boolean;
}

/** Input files per sample, as absolute paths or glob patterns. */
export interface Inputs {
  /** Directory against which relative patterns are resolved. */
  dataDir: string;
  samples: Record<string, string[]>;
}

export interface BhiveConfig {
  /** Short name used in output paths. */
  name: string;
  /** Absolute path of the YAML file. */
  path: string;
  description?: string;
  tree: string;
  /** Name of the processor in the processor registry; undefined means 'per_jet'. */
  processor?: string;
  inputs: Inputs;
  /** pT in GeV, η, and φ in radians (φ is needed only for ΔR matching). */
  kinematics: { pt: KinematicSource; eta: KinematicSource; phi?: KinematicSource };
  cuts: Cuts;
  globalFeatures: string[];
  candidates: CandidateGroup[];
  classes: FlagGroup[];
  drop: FlagGroup[];
  /**
   * Class names in priority order: a jet that matches several classes gets the first.
   * Undefined means a jet in two classes is an error.
   */
  labelPriority?: string[];
  /** Per-jet branches copied into the dataset but not used as inputs, such as a reference tagger's score. */
  spectators?: string[];
  /** Per-jet selection in the expression language, such as `Jet_jetId >= 2 && Jet_puId > 0`; jets where it is 0 are dropped. */
  selection?: string;
  /**
   * Per-jet features computed from branches, keyed by name, in the expression language
   * (`pt_over_mass: Jet_pt / Jet_mass`). The names can be used as global features,
   * spectators and in the selection, but not as candidate features.
   */
  derivedFeatures?: Record<string, string>;
  /**
   * Policies for NaN and infinite values, keyed by 'global' or a candidate group name: drop
   * the jet, or replace the value. Arrays without a policy keep such values.
   */
  nonFinite?: Record<string, NonFinitePolicy>;
  /** Physics processes; when present, every input file must match exactly one. */
  processes?: ProcessSpec[];
  reweighting: Reweighting;
  discriminants: DiscriminantSpec[];
  /** Mistag rates at which working points are computed, for example 0.1, 0.01, 0.001. */
  workingPoints: number[];
  /** Extra evaluation outputs; undefined when the config has no `evaluation` section. */
  evaluation?: EvaluationSettings;
  /** Reference taggers drawn by ROCCurve and Report; undefined when the config has no `reference_taggers`. */
  referenceTaggers?: ChainReferenceTagger[];
  /** Options per model name from `model_options`, given to the model that Training builds. */
  modelOptions?: Record<string, ModelOptions>;
  /** Defaults for task parameters, keyed by parameter name; the command line overrides them. */
  parameters: Record<string, string | number | boolean>;
}
