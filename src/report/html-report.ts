/**
 * The HTML report of one evaluation: a single self-contained file with the summary
 * tables, every plot as inline SVG, and the provenance of the inputs. It is built from
 * `evaluation.json` and the SVG files written beside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DiscriminantSummary, EvaluationSummary } from '../evaluation/summary.js';
import { writeFileAtomic } from '../plotting/index.js';
import { escapeHtml, formatNumber, formatPercent, formatWithUncertainty, prefixSvgIds, renderPage, renderTable, type Cell } from './html.js';

/** File name of the report in an evaluation's output directory. */
export const REPORT_FILE = 'report.html';

/**
 * Renders the report. `svgs` maps plot names (without extension) to SVG text; plots of
 * the summary without an SVG are listed as missing.
 */
export function renderEvaluationReport(summary: EvaluationSummary, svgs: ReadonlyMap<string, string>): string {
  const title = `bhive evaluation: ${summary.name}`;
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(title)}</h1>`);
  parts.push(
    `<p class="muted">${summary.tagger ? `tagger ${escapeHtml(summary.tagger)} · ` : ''}${summary.num_jets} jets · ` +
      `${summary.weighted ? 'weighted' : 'unweighted'} · created ${escapeHtml(summary.created)}</p>`,
  );
  parts.push('<nav><a href="#summary">Summary</a><a href="#working-points">Working points</a><a href="#rejection">Rejection</a>' +
    `${summary.discriminants.some((d) => d.windows.length > 0) ? '<a href="#windows">Windows</a>' : ''}` +
    `${summary.discriminants.some((d) => (d.processes?.length ?? 0) > 0) ? '<a href="#processes">Processes</a>' : ''}<a href="#plots">Plots</a><a href="#provenance">Provenance</a></nav>`);

  parts.push('<h2 id="summary">Summary</h2>');
  parts.push(renderTable(['class', 'jets'], Object.entries(summary.class_counts).map(([name, count]) => [name, count])));
  parts.push(renderSummaryTable(summary.discriminants));

  parts.push('<h2 id="working-points">Working points</h2>');
  parts.push('<p class="muted">Tagged means score &gt; threshold. Thresholds are exact: the lowest whose mistag rate does not exceed the target. Uncertainties are binomial.</p>');
  parts.push(renderWorkingPointTable(summary.discriminants));

  parts.push('<h2 id="rejection">Rejection at fixed signal efficiency</h2>');
  parts.push(renderRejectionTable(summary.discriminants));

  if (summary.discriminants.some((d) => d.windows.length > 0)) {
    parts.push('<h2 id="windows">(pT, η) windows</h2>');
    parts.push(renderWindowTable(summary.discriminants));
  }

  if (summary.discriminants.some((d) => (d.processes?.length ?? 0) > 0)) {
    parts.push('<h2 id="processes">Processes</h2>');
    parts.push('<p class="muted">Each process on its own jets, after its evaluation cut.</p>');
    parts.push(renderProcessTable(summary.discriminants));
  }

  parts.push('<h2 id="plots">Plots</h2>');
  parts.push('<p class="muted">Each plot is also written beside this report as PNG, SVG and JSON data; tables as CSV.</p>');
  summary.plots.forEach((plot, index) => {
    const svg = svgs.get(plot.name);
    const content = svg === undefined ? `<p class="muted">missing: ${escapeHtml(plot.name)}.svg</p>` : prefixSvgIds(svg, `p${index}-`);
    parts.push(`<figure id="plot-${escapeHtml(plot.name)}">${content}<figcaption>${escapeHtml(plot.title)} (${escapeHtml(plot.name)})</figcaption></figure>`);
  });

  parts.push('<h2 id="provenance">Provenance</h2>');
  parts.push(renderProvenance(summary.provenance));
  return renderPage(title, parts.join('\n'));
}

/**
 * Writes `report.html` into `outputDir` from the summary and the SVG files in that
 * directory, atomically, and returns its path.
 */
export function writeEvaluationReport(outputDir: string, summary: EvaluationSummary): string {
  const svgs = new Map<string, string>();
  for (const plot of summary.plots) {
    const file = path.join(outputDir, `${plot.name}.svg`);
    if (existsSync(file)) svgs.set(plot.name, readFileSync(file, 'utf8'));
  }
  const reportPath = path.join(outputDir, REPORT_FILE);
  writeFileAtomic(reportPath, renderEvaluationReport(summary, svgs));
  return reportPath;
}

function renderSummaryTable(discriminants: readonly DiscriminantSummary[]): string {
  const rows: Cell[][] = discriminants.map((d) => [
    d.label,
    d.kind,
    d.signal.join(', '),
    d.background.join(', '),
    formatWithUncertainty(d.auc, d.auc_bootstrap_std),
    d.num_signal_jets,
    d.num_background_jets,
  ]);
  return renderTable(['discriminant', 'type', 'signal', 'background', 'AUC (± bootstrap std)', 'signal jets', 'background jets'], rows);
}

function renderWorkingPointTable(discriminants: readonly DiscriminantSummary[]): string {
  const rows: Cell[][] = [];
  for (const d of discriminants) {
    for (const wp of d.working_points) {
      rows.push([
        d.label,
        formatPercent(wp.target_mistag),
        formatNumber(wp.threshold),
        formatNumber(wp.achieved_mistag),
        formatWithUncertainty(wp.signal_efficiency, wp.signal_efficiency_uncertainty),
        wp.below_background_resolution ? 'below 1 / background jets' : '',
      ]);
    }
  }
  return renderTable(['discriminant', 'target mistag', 'threshold', 'achieved mistag', 'signal efficiency', 'note'], rows);
}

function renderRejectionTable(discriminants: readonly DiscriminantSummary[]): string {
  const efficiencies = [...new Set(discriminants.flatMap((d) => d.rejection.map((r) => r.target_efficiency)))];
  const rows: Cell[][] = discriminants.map((d) => [
    d.label,
    ...efficiencies.map((efficiency) => {
      const point = d.rejection.find((r) => r.target_efficiency === efficiency);
      if (point === undefined) return '–';
      return point.rejection === null ? '∞ (no background passes)' : formatWithUncertainty(point.rejection, point.rejection_uncertainty);
    }),
  ]);
  return renderTable(['discriminant', ...efficiencies.map((e) => `rejection at ${formatPercent(e)} signal eff.`)], rows);
}

function renderWindowTable(discriminants: readonly DiscriminantSummary[]): string {
  const rows: Cell[][] = [];
  for (const d of discriminants) {
    for (const w of d.windows) {
      rows.push([
        d.label,
        w.name,
        `${formatNumber(w.pt[0])} – ${formatNumber(w.pt[1] ?? Infinity)}`,
        `${formatNumber(w.abs_eta[0])} – ${formatNumber(w.abs_eta[1] ?? Infinity)}`,
        w.num_signal_jets,
        w.num_background_jets,
        w.auc === null ? (w.note ?? '–') : formatNumber(w.auc),
      ]);
    }
  }
  return renderTable(['discriminant', 'window', 'pT [GeV]', '|η|', 'signal jets', 'background jets', 'AUC'], rows);
}

function renderProcessTable(discriminants: readonly DiscriminantSummary[]): string {
  const rows: Cell[][] = [];
  for (const d of discriminants) {
    for (const p of d.processes ?? []) {
      rows.push([d.label, p.process, p.selection ?? '–', p.num_jets, p.num_signal_jets, p.num_background_jets, p.auc === null ? (p.note ?? '–') : formatNumber(p.auc)]);
    }
  }
  return renderTable(['discriminant', 'process', 'evaluation cut', 'jets', 'signal jets', 'background jets', 'AUC'], rows);
}

function renderProvenance(provenance: EvaluationSummary['provenance']): string {
  const parts: string[] = [];
  parts.push(
    renderTable(
      ['input file', 'bytes', 'modified', 'SHA-256'],
      provenance.inputs.map((input) => [input.path, input.bytes, input.modified, { html: `<code>${escapeHtml(input.sha256)}</code>` }]),
    ),
  );
  const facts: Cell[][] = [];
  if (provenance.command_line) facts.push(['command line', provenance.command_line.join(' ')]);
  if (provenance.bhive_version) facts.push(['bhive version', provenance.bhive_version]);
  if (provenance.git_commit !== undefined) facts.push(['git commit', provenance.git_commit ?? 'not a git checkout']);
  facts.push(['Node.js', provenance.node]);
  if (provenance.config) facts.push(['config', `${provenance.config.path} (SHA-256 ${provenance.config.sha256})`]);
  for (const [key, value] of Object.entries(provenance.extra ?? {})) facts.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  parts.push(renderTable(['what', 'value'], facts));
  if (provenance.config) {
    parts.push(`<details><summary>configuration text</summary><pre>${escapeHtml(provenance.config.text)}</pre></details>`);
  }
  return parts.join('\n');
}
