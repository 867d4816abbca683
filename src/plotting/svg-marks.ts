/** SVG marks besides lines and markers: shaded bands and vertical error bars. */
import type { Scale } from './scale.js';
import type { BandSeries, LineSeries } from './types.js';

/** Formats a pixel coordinate with at most two decimals. */
export function formatPixel(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * Draws a band as one filled polygon: along the upper curve, then back along the lower.
 * Points with a non-finite x or bound are skipped. On a log axis a bound at or below 0 is
 * drawn at the bottom of the axis, so a band reaching 0 stays visible.
 */
export function renderBand(band: BandSeries, color: string, xScale: Scale, yScale: Scale): string[] {
  if (band.low.length !== band.x.length || band.high.length !== band.x.length) {
    throw new RangeError(`band '${band.label}' has ${band.x.length} x values, ${band.low.length} lower and ${band.high.length} upper values`);
  }
  const yPixel = (value: number): number => {
    if (yScale.log && value <= 0 && Number.isFinite(value)) return yScale.toPixel(yScale.min);
    return yScale.toPixel(value);
  };
  const upper: string[] = [];
  const lower: string[] = [];
  for (let i = 0; i < band.x.length; i++) {
    const x = xScale.toPixel(band.x[i]);
    const high = yPixel(band.high[i]);
    const low = yPixel(band.low[i]);
    if (Number.isNaN(x) || Number.isNaN(high) || Number.isNaN(low)) continue;
    upper.push(`${formatPixel(x)} ${formatPixel(high)}`);
    lower.push(`${formatPixel(x)} ${formatPixel(low)}`);
  }
  if (upper.length < 2) return [];
  const outline = [...upper, ...lower.reverse()];
  return [
    `<path d="M${outline.join('L')}Z" fill="${escapeAttribute(color)}" fill-opacity="${band.opacity ?? 0.25}" stroke="none"/>`,
  ];
}

/**
 * Draws a vertical bar from y - e to y + e with short caps at each point of a series that
 * has `yErrors`. On a log axis the lower end is cut at the bottom of the axis.
 */
export function renderErrorBars(series: LineSeries, color: string, xScale: Scale, yScale: Scale): string[] {
  const errors = series.yErrors;
  if (errors === undefined) return [];
  if (errors.length !== series.y.length) {
    throw new RangeError(`series '${series.label}' has ${series.y.length} y values but ${errors.length} errors`);
  }
  const path: string[] = [];
  for (let i = 0; i < series.y.length; i++) {
    const error = errors[i];
    if (!(error > 0)) continue;
    const x = xScale.toPixel(series.x[i]);
    const lowValue = series.y[i] - error;
    const top = yScale.toPixel(series.y[i] + error);
    const bottom = yScale.log && lowValue <= 0 ? yScale.toPixel(yScale.min) : yScale.toPixel(lowValue);
    if (Number.isNaN(x) || Number.isNaN(top) || Number.isNaN(bottom)) continue;
    const left = formatPixel(x - 3);
    path.push(`M${formatPixel(x)} ${formatPixel(bottom)}V${formatPixel(top)}`);
    path.push(`M${left} ${formatPixel(top)}h6M${left} ${formatPixel(bottom)}h6`);
  }
  if (path.length === 0) return [];
  return [`<path d="${path.join('')}" fill="none" stroke="${escapeAttribute(color)}" stroke-width="1.2"/>`];
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
