/** The dashboard's comparison page: overlaid ROC curves of several runs and one table. */
import type { DiscriminantSummary } from '../evaluation/summary.js';
import { decadeFloor, renderLinePlot, type LineSeries } from '../plotting/index.js';
import { escapeHtml, formatNumber, formatPercent, formatWithUncertainty, prefixSvgIds, renderPage, renderTable, type Cell } from './html.js';
import type { RunEntry } from './run-index.js';

/** Curves drawn in one comparison plot, above which the legend would hide the plot. */
const MAX_CURVES_PER_PLOT = 10;

/**
 * Renders the comparison of `runs` (each with a summary): one ROC plot per discriminant
 * name that any run has, every run's curve overlaid, then one table with AUC, the
 * signal efficiency at each working point and the rejection at each signal efficiency.
 */
export function renderComparePage(runs: readonly RunEntry[]): string {
  const entries = runs.flatMap((run) => (run.summary?.discriminants ?? []).map((discriminant) => ({ run, discriminant })));
  const names = [...new Set(entries.map((entry) => entry.discriminant.name))];
  const parts: string[] = ['<p><a href="/">← all runs</a></p>', `<h1>Comparison of ${runs.length} runs</h1>`];
  parts.push(renderTable(['run', 'name', 'tagger', 'jets', 'created'], runs.map((run) => [
    { html: `<a href="/runs/${encodeURIComponent(run.id)}/report.html">${escapeHtml(run.id)}</a>` },
    run.summary?.name ?? '–',
    run.summary?.tagger ?? '–',
    run.summary?.num_jets ?? '–',
    run.summary?.created ?? '–',
  ])));

  parts.push('<h2>ROC curves</h2>');
  names.forEach((name, index) => {
    const curves = entries.filter((entry) => entry.discriminant.name === name).slice(0, MAX_CURVES_PER_PLOT);
    const series: LineSeries[] = curves.map(({ run, discriminant }) => ({
      label: `${run.summary?.name ?? run.id}: ${discriminant.label} (AUC = ${discriminant.auc.toFixed(3)})`,
      x: discriminant.roc.signal_efficiency,
      y: discriminant.roc.mistag,
    }));
    let smallest = 1e-3;
    for (const { discriminant } of curves) smallest = Math.min(smallest, 1 / Math.max(1, discriminant.num_background_jets));
    const first = curves[0].discriminant;
    const svg = renderLinePlot({
      title: `ROC curves: ${name}`,
      xAxis: { title: `${first.signal.join('+')} jet efficiency`, min: 0, max: 1 },
      yAxis: { title: `${first.background.join('+')} mistag rate`, scale: 'log', min: decadeFloor(smallest), max: 1 },
      series,
      width: 760,
      height: 540,
      legend: 'upper-left',
    });
    parts.push(`<figure class="comparison" data-discriminant="${escapeHtml(name)}">${prefixSvgIds(svg, `c${index}-`)}<figcaption>${escapeHtml(name)}: ${curves.length} curve(s)</figcaption></figure>`);
  });
  if (names.length === 0) parts.push('<p>The selected runs have no discriminants.</p>');

  parts.push('<h2>Table</h2>');
  parts.push(renderComparisonTable(entries));
  return renderPage('bhive: comparison', parts.join('\n'));
}

function renderComparisonTable(entries: ReadonlyArray<{ run: RunEntry; discriminant: DiscriminantSummary }>): string {
  const targets = [...new Set(entries.flatMap((entry) => entry.discriminant.working_points.map((wp) => wp.target_mistag)))].sort((a, b) => b - a);
  const efficiencies = [...new Set(entries.flatMap((entry) => entry.discriminant.rejection.map((r) => r.target_efficiency)))].sort((a, b) => a - b);
  const rows: Cell[][] = entries.map(({ run, discriminant }) => [
    run.summary?.name ?? run.id,
    discriminant.name,
    discriminant.label,
    formatWithUncertainty(discriminant.auc, discriminant.auc_bootstrap_std),
    ...targets.map((target) => {
      const wp = discriminant.working_points.find((point) => point.target_mistag === target);
      if (wp === undefined) return '–';
      const value = formatWithUncertainty(wp.signal_efficiency, wp.signal_efficiency_uncertainty);
      return wp.below_background_resolution ? `${value} (below resolution: fewer background jets than 1/mistag)` : value;
    }),
    ...efficiencies.map((efficiency) => {
      const point = discriminant.rejection.find((r) => r.target_efficiency === efficiency);
      return point === undefined ? '–' : formatNumber(point.rejection ?? Infinity);
    }),
  ]);
  return renderTable(
    [
      'run',
      'discriminant',
      'label',
      'AUC',
      ...targets.map((target) => `signal eff. at ${formatPercent(target)} mistag`),
      ...efficiencies.map((efficiency) => `rejection at ${formatPercent(efficiency)}`),
    ],
    rows,
    'data comparison',
  );
}
