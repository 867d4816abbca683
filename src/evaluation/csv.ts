/** Comma-separated tables with a header line, for the evaluation outputs. */

/** A table column: its header and one value per row. */
export interface CsvColumn {
  header: string;
  values: ArrayLike<number> | readonly (string | number | boolean)[];
}

/**
 * Formats columns as CSV text with a header line and '\n' line ends. Numbers use the
 * shortest text that reads back to the same double. Infinities are written "-Infinity"
 * and "Infinity", which Python's float() accepts. Strings with a comma, quote or line
 * break are quoted. Throws a RangeError when the columns differ in length.
 */
export function formatCsv(columns: readonly CsvColumn[]): string {
  const numRows = columns.length > 0 ? columns[0].values.length : 0;
  for (const column of columns) {
    if (column.values.length !== numRows) {
      throw new RangeError(`CSV column '${column.header}' has ${column.values.length} rows; expected ${numRows}`);
    }
  }
  const lines = [columns.map((column) => quote(column.header)).join(',')];
  for (let row = 0; row < numRows; row++) {
    lines.push(columns.map((column) => quote(String(column.values[row]))).join(','));
  }
  return lines.join('\n') + '\n';
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
