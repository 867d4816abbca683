/**
 * The report layer: the self-contained HTML report of one evaluation, the run that
 * writes an evaluation with its report, and the local dashboard (`bhive serve`) that
 * lists and compares runs. It reads `evaluation.json` and the SVG plots that
 * src/evaluation writes, and never recomputes numbers.
 */
export { renderEvaluationReport, writeEvaluationReport, REPORT_FILE } from './html-report.js';
export { describeInputFile, writeEvaluationRun, type EvaluationRunOptions } from './evaluation-run.js';
export { findRuns, MAX_RUN_DEPTH, type RunEntry } from './run-index.js';
export { renderComparePage } from './compare-page.js';
export { startDashboard, DASHBOARD_HOST, type Dashboard, type DashboardOptions } from './dashboard.js';
