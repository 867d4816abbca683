/**
 * `evaluation.json`: the numbers of one evaluation in one file, read by the HTML report
 * and the dashboard. Fields are snake_case, as in the other JSON outputs; infinite values
 * (a rejection with no background jet passing, a threshold of -Infinity) are written as null.
 */

/** File name of the summary in an evaluation's output directory. */
export const EVALUATION_SUMMARY_FILE = 'evaluation.json';

/** Version of the summary layout; readers reject other versions. */
export const EVALUATION_SUMMARY_VERSION = 1;

export interface WorkingPointSummary {
  target_mistag: number;
  threshold: number | null;
  achieved_mistag: number;
  signal_efficiency: number;
  signal_efficiency_uncertainty: number;
  below_background_resolution: boolean;
}

export interface RejectionSummary {
  target_efficiency: number;
  threshold: number | null;
  signal_efficiency: number;
  mistag: number;
  mistag_uncertainty: number;
  rejection: number | null;
  rejection_uncertainty: number | null;
}

export interface WindowSummary {
  name: string;
  pt: [number, number | null];
  abs_eta: [number, number | null];
  num_signal_jets: number;
  num_background_jets: number;
  auc: number | null;
  rejection: RejectionSummary[];
  note?: string;
}

/** Numbers of one discriminant on the jets of one physics process, after the process's evaluation cut. */
export interface ProcessSummary {
  process: string;
  /** The process's evaluation cut; null for none. */
  selection: string | null;
  /** Jets of the process before its evaluation cut. */
  num_jets_before_cut: number;
  /** Jets of the process that pass its evaluation cut. */
  num_jets: number;
  num_signal_jets: number;
  num_background_jets: number;
  /** Null when the process lacks signal or background jets. */
  auc: number | null;
  note?: string;
}

export interface DiscriminantSummary {
  name: string;
  label: string;
  kind: string;
  signal: string[];
  background: string[];
  auc: number;
  /** Standard deviation of the bootstrap replicas' AUC; absent without bootstrap. */
  auc_bootstrap_std?: number;
  num_signal_jets: number;
  num_background_jets: number;
  sum_signal_weights: number;
  sum_background_weights: number;
  working_points: WorkingPointSummary[];
  rejection: RejectionSummary[];
  windows: WindowSummary[];
  /** One entry per physics process; absent when the evaluated jets have no process index. */
  processes?: ProcessSummary[];
  /** Down-sampled ROC curve for overlays: signal efficiency and mistag rate, increasing. */
  roc: { signal_efficiency: number[]; mistag: number[] };
}

/** A plot written by the evaluation, by file name without extension. */
export interface PlotEntry {
  name: string;
  title: string;
}

/** Where the evaluated numbers came from. */
export interface InputProvenance {
  path: string;
  bytes: number;
  modified: string;
  /** SHA-256 of the file contents, hex. */
  sha256: string;
}

export interface EvaluationSummary {
  version: number;
  /** Name of the evaluation, such as the config name. */
  name: string;
  /** Tagger or model label used in legends. */
  tagger: string | null;
  created: string;
  num_jets: number;
  classes: string[];
  /** Jets per class, in the order of `classes`, and jets with an unknown class. */
  class_counts: Record<string, number>;
  weighted: boolean;
  discriminants: DiscriminantSummary[];
  plots: PlotEntry[];
  provenance: {
    inputs: InputProvenance[];
    config?: { path: string; sha256: string; text: string };
    command_line?: string[];
    bhive_version?: string;
    git_commit?: string | null;
    node: string;
    /** Further records, such as the upstream task outputs of a Report task. */
    extra?: Record<string, unknown>;
  };
}
