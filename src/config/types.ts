/**
 * The resolved physics configuration: what `loadConfig` returns after validating a YAML
 * file. Field names are camelCase here; the YAML keys are snake_case.
 */

/** How a per-jet kinematic variable is read from the tree. */
export interface KinematicSource {
  branch: string;
  /** When true the branch stores log10 of the value, so the reader takes 10^x. */
  log10: boolean;
}

/** One padded candidate collection, such as charged particles or secondary vertices. */
export interface CandidateGroup {
  name: string;
  /** Per-jet branch that holds the number of candidates. */
  counter: string;
  /** Candidates kept per jet; more are clipped, fewer are padded with `padValue`. */
  maxCandidates: number;
  padValue: number;
  features: string[];
}

/** A truth class or a drop category: a jet belongs to it when any flag branch is non-zero. */
export interface FlagGroup {
  name: string;
  flags: string[];
}

/** Acceptance cuts applied before labelling. pT in GeV. */
export interface Cuts {
  ptMin?: number;
  ptMax?: number;
  absEtaMax?: number;
}

/** (pT, η) binning for the reweighting histograms and the reference class. pT in GeV. */
export interface Reweighting {
  referenceClass: string;
  ptBins: number[];
  etaBins: number[];
}

/** A discriminant: summed probabilities of signal classes over signal plus background. */
export interface DiscriminantSpec {
  name: string;
  signal: string[];
  background: string[];
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
  inputs: Inputs;
  kinematics: { pt: KinematicSource; eta: KinematicSource };
  cuts: Cuts;
  globalFeatures: string[];
  candidates: CandidateGroup[];
  classes: FlagGroup[];
  drop: FlagGroup[];
  reweighting: Reweighting;
  discriminants: DiscriminantSpec[];
  /** Mistag rates at which working points are computed, for example 0.1, 0.01, 0.001. */
  workingPoints: number[];
  /** Defaults for task parameters, keyed by parameter name; the command line overrides them. */
  parameters: Record<string, string | number | boolean>;
}
