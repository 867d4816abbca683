/** Small HTML building blocks shared by the report and the dashboard: escaping, tables, the page shell. */
export { prefixSvgIds } from '../plotting/svg-ids.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A table cell: plain text (escaped) or trusted HTML. */
export type Cell = string | number | { html: string };

/** Renders a table with a header row; numbers are formatted with formatNumber. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[], className = 'data'): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${renderCell(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function renderCell(cell: Cell): string {
  if (typeof cell === 'number') return escapeHtml(formatNumber(cell));
  if (typeof cell === 'string') return escapeHtml(cell);
  return cell.html;
}

/** Formats a number with 4 significant digits; null, NaN and infinities as text. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return Number(value.toPrecision(4)).toString();
}

/** Formats a fraction as a percentage with up to 4 significant digits: 0.005 gives "0.5%". */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))}%`;
}

/** Formats a value with its uncertainty, both with the decimals of the uncertainty's 2 significant digits. */
export function formatWithUncertainty(value: number, uncertainty: number | null | undefined): string {
  if (uncertainty === null || uncertainty === undefined || !Number.isFinite(uncertainty) || uncertainty <= 0 || !Number.isFinite(value)) {
    return formatNumber(value);
  }
  const decimals = Math.max(0, Math.min(10, 1 - Math.floor(Math.log10(uncertainty))));
  return `${value.toFixed(decimals)} ± ${uncertainty.toFixed(decimals)}`;
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1em 2em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
table.data { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
table.data th, table.data td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
table.data th { background: #f0f0f0; }
table.data td:first-child, table.data th:first-child { text-align: left; }
figure { display: inline-block; margin: 0.6em; vertical-align: top; }
figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
.muted { color: #777; font-size: 0.9em; }
nav a { margin-right: 1em; }
button { font-size: 1em; padding: 0.3em 1em; }
`;

/** Wraps a body in a complete HTML document with the shared style sheet and no external resources. */
export function renderPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
