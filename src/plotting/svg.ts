/**
 * A dependency-free SVG renderer for line plots: several series, legend, axis titles,
 * a linear x axis, a linear or base-10 log y axis with decade and minor ticks, grid,
 * title and optional markers. Text uses the DejaVu Sans family.
 */
import { UnsupportedError } from '../errors.js';
import { makeScale, type Scale } from './scale.js';
import { renderBand, renderErrorBars } from './svg-marks.js';
import { formatDecade, formatLinearTick, linearTicks, logTicks, niceStep } from './ticks.js';
import type { BandSeries, LegendPosition, LinePlotSpec, LineSeries } from './types.js';

/** Colours given to series without one, in order (the matplotlib "tab10" palette). */
export const SERIES_COLORS: readonly string[] = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

export const FONT_FAMILY = 'DejaVu Sans';

const TICK_FONT_SIZE = 13;
const AXIS_TITLE_FONT_SIZE = 15;
const TITLE_FONT_SIZE = 16;
const LEGEND_FONT_SIZE = 13;
const POINT_LABEL_FONT_SIZE = 11;
// average advance width of DejaVu Sans glyphs, in font sizes, used to size the legend box
const CHARACTER_WIDTH = 0.58;

/** Escapes the five XML special characters for text content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Renders a line plot as a standalone SVG document (width and height in px).
 *
 * Throws an UnsupportedError for a log x axis, and a RangeError when a series has x and
 * y of different lengths or an axis range is empty or, on a log axis, not positive.
 */
export function renderLinePlot(spec: LinePlotSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 480;
  if (spec.xAxis.scale === 'log') {
    throw new UnsupportedError(`log x axis requested for plot '${spec.title ?? spec.xAxis.title}'; only the y axis can be log`);
  }
  for (const series of spec.series) {
    if (series.x.length !== series.y.length) {
      throw new RangeError(`series '${series.label}' has ${series.x.length} x values but ${series.y.length} y values`);
    }
  }

  const box: Box = {
    left: 84,
    top: spec.title ? 44 : 20,
    right: width - 24,
    bottom: height - 62,
  };
  const bands = spec.bands ?? [];
  const xScale = makeScale(spec.xAxis, spec.series, bands, 'x', box.left, box.right);
  const yScale = makeScale(spec.yAxis, spec.series, bands, 'y', box.bottom, box.top);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="${FONT_FAMILY}, sans-serif">`,
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  parts.push(
    `<defs><clipPath id="plot-area"><rect x="${n(box.left)}" y="${n(box.top)}" ` +
      `width="${n(box.right - box.left)}" height="${n(box.bottom - box.top)}"/></clipPath></defs>`,
  );
  parts.push(...renderAxes(spec, xScale, yScale, box));
  parts.push('<g clip-path="url(#plot-area)">');
  bands.forEach((band, index) => parts.push(...renderBand(band, bandColor(band, index), xScale, yScale)));
  // Series with every point on one side outside the frame are not drawn: nothing of them is
  // visible, and resvg 2.6 panics on a clipped path that lies wholly outside its clip area.
  const visible = spec.series.map((series) => mayCrossBox(series, xScale, yScale, box));
  spec.series.forEach((series, index) => {
    if (visible[index]) parts.push(...renderErrorBars(series, seriesColor(series, index), xScale, yScale));
  });
  spec.series.forEach((series, index) => {
    if (visible[index]) parts.push(...renderLine(series, seriesColor(series, index), xScale, yScale));
  });
  parts.push('</g>');
  // markers are not clipped, so that a marker on the frame shows whole
  spec.series.forEach((series, index) => parts.push(...renderMarkers(series, seriesColor(series, index), xScale, yScale, box)));
  parts.push(
    `<rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.right - box.left)}" height="${n(box.bottom - box.top)}" ` +
      'fill="none" stroke="black" stroke-width="1"/>',
  );
  parts.push(...renderLegend(spec.series, bands, spec.legend ?? 'upper-right', box));
  if (spec.title) {
    parts.push(
      `<text x="${n((box.left + box.right) / 2)}" y="28" font-size="${TITLE_FONT_SIZE}" font-weight="bold" ` +
        `text-anchor="middle">${escapeXml(spec.title)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/**
 * False when every drawable point of `series` lies beyond the same edge of `box` (all above,
 * all below, all left or all right), so that no segment between them can cross it.
 */
export function mayCrossBox(series: LineSeries, xScale: Scale, yScale: Scale, box: Box): boolean {
  let above = true;
  let below = true;
  let left = true;
  let right = true;
  let any = false;
  for (let i = 0; i < series.x.length; i++) {
    const px = xScale.toPixel(series.x[i]);
    const py = yScale.toPixel(series.y[i]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    any = true;
    above &&= py < box.top;
    below &&= py > box.bottom;
    left &&= px < box.left;
    right &&= px > box.right;
  }
  return any && !(above || below || left || right);
}

function seriesColor(series: LineSeries, index: number): string {
  return series.color ?? SERIES_COLORS[index % SERIES_COLORS.length];
}

function bandColor(band: BandSeries, index: number): string {
  return band.color ?? SERIES_COLORS[index % SERIES_COLORS.length];
}

function renderAxes(spec: LinePlotSpec, xScale: Scale, yScale: Scale, box: Box): string[] {
  const parts: string[] = [];
  const grid = spec.grid ?? true;
  const gridLines: string[] = [];
  const tickMarks: string[] = [];
  const labels: string[] = [];

  // x axis: linear only
  const xMinStep = spec.xAxis.integerTicks ? 1 : 0;
  const xTicks = linearTicks(xScale.min, xScale.max, 6, xMinStep);
  const xStep = niceStep(xScale.max - xScale.min, 6, xMinStep);
  for (const value of xTicks) {
    const x = xScale.toPixel(value);
    if (grid) gridLines.push(`M${n(x)} ${n(box.top)}V${n(box.bottom)}`);
    tickMarks.push(`M${n(x)} ${n(box.bottom)}v-6`);
    labels.push(
      `<text x="${n(x)}" y="${n(box.bottom + 20)}" font-size="${TICK_FONT_SIZE}" text-anchor="middle">` +
        `${escapeXml(formatLinearTick(value, xStep))}</text>`,
    );
  }

  const minorGridLines: string[] = [];
  if (yScale.log) {
    const { major, minor } = logTicks(yScale.min, yScale.max);
    for (const value of major) {
      const y = yScale.toPixel(value);
      if (grid) gridLines.push(`M${n(box.left)} ${n(y)}H${n(box.right)}`);
      tickMarks.push(`M${n(box.left)} ${n(y)}h6`);
      labels.push(yTickLabel(box, y, formatDecade(value)));
    }
    for (const value of minor) {
      const y = yScale.toPixel(value);
      if (grid) minorGridLines.push(`M${n(box.left)} ${n(y)}H${n(box.right)}`);
      tickMarks.push(`M${n(box.left)} ${n(y)}h3`);
    }
  } else {
    const yMinStep = spec.yAxis.integerTicks ? 1 : 0;
    const yTicks = linearTicks(yScale.min, yScale.max, 6, yMinStep);
    const yStep = niceStep(yScale.max - yScale.min, 6, yMinStep);
    for (const value of yTicks) {
      const y = yScale.toPixel(value);
      if (grid) gridLines.push(`M${n(box.left)} ${n(y)}H${n(box.right)}`);
      tickMarks.push(`M${n(box.left)} ${n(y)}h6`);
      labels.push(yTickLabel(box, y, formatLinearTick(value, yStep)));
    }
  }

  if (minorGridLines.length > 0) {
    parts.push(`<path d="${minorGridLines.join('')}" stroke="#eeeeee" stroke-width="1" fill="none"/>`);
  }
  if (gridLines.length > 0) {
    parts.push(`<path d="${gridLines.join('')}" stroke="#d0d0d0" stroke-width="1" fill="none"/>`);
  }
  parts.push(`<path d="${tickMarks.join('')}" stroke="black" stroke-width="1" fill="none"/>`);
  parts.push(...labels);

  const centreX = (box.left + box.right) / 2;
  const centreY = (box.top + box.bottom) / 2;
  parts.push(
    `<text x="${n(centreX)}" y="${n(box.bottom + 46)}" font-size="${AXIS_TITLE_FONT_SIZE}" text-anchor="middle">` +
      `${escapeXml(spec.xAxis.title)}</text>`,
  );
  parts.push(
    `<text transform="translate(22 ${n(centreY)}) rotate(-90)" font-size="${AXIS_TITLE_FONT_SIZE}" text-anchor="middle">` +
      `${escapeXml(spec.yAxis.title)}</text>`,
  );
  return parts;
}

function yTickLabel(box: Box, y: number, text: string): string {
  return (
    `<text x="${n(box.left - 8)}" y="${n(y + TICK_FONT_SIZE * 0.35)}" font-size="${TICK_FONT_SIZE}" text-anchor="end">` +
    `${escapeXml(text)}</text>`
  );
}

function renderLine(series: LineSeries, color: string, xScale: Scale, yScale: Scale): string[] {
  if (!(series.line ?? true)) return [];
  const path: string[] = [];
  let penDown = false;
  for (let i = 0; i < series.x.length; i++) {
    const x = xScale.toPixel(series.x[i]);
    const y = yScale.toPixel(series.y[i]);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      penDown = false;
      continue;
    }
    path.push(`${penDown ? 'L' : 'M'}${n(x)} ${n(y)}`);
    penDown = true;
  }
  if (path.length === 0) return [];

  const width = series.lineWidth ?? 2;
  const dash = series.dashed ? ` stroke-dasharray="${n(width * 3)} ${n(width * 2)}"` : '';
  return [
    `<path d="${path.join('')}" fill="none" stroke="${escapeXml(color)}" stroke-width="${n(width)}" ` +
      `stroke-linejoin="round"${dash}/>`,
  ];
}

/** Draws the markers of a series that lie inside the plot area (with half a pixel of slack). */
function renderMarkers(series: LineSeries, color: string, xScale: Scale, yScale: Scale, box: Box): string[] {
  if (!(series.markers ?? false)) return [];
  const parts: string[] = [];
  for (let i = 0; i < series.x.length; i++) {
    const x = xScale.toPixel(series.x[i]);
    const y = yScale.toPixel(series.y[i]);
    if (!(x >= box.left - 0.5 && x <= box.right + 0.5 && y >= box.top - 0.5 && y <= box.bottom + 0.5)) continue;
    parts.push(`<circle cx="${n(x)}" cy="${n(y)}" r="4" fill="${escapeXml(color)}" stroke="black" stroke-width="0.8"/>`);
    const label = series.pointLabels?.[i];
    if (label) {
      parts.push(`<text x="${n(x + 7)}" y="${n(y - 7)}" font-size="${POINT_LABEL_FONT_SIZE}">${escapeXml(label)}</text>`);
    }
  }
  return parts;
}

function renderLegend(series: readonly LineSeries[], bands: readonly BandSeries[], position: LegendPosition, box: Box): string[] {
  const entries = series.map((s, index) => ({ series: s, color: seriesColor(s, index) })).filter((e) => e.series.label !== '');
  const bandEntries = bands.map((band, index) => ({ band, color: bandColor(band, index) })).filter((e) => e.band.label !== '');
  if (position === 'none' || entries.length + bandEntries.length === 0) return [];

  const rowHeight = LEGEND_FONT_SIZE + 8;
  const sampleWidth = 26;
  const padding = 8;
  const longest = Math.max(...entries.map((e) => e.series.label.length), ...bandEntries.map((e) => e.band.label.length));
  const legendWidth = padding * 2 + sampleWidth + 6 + longest * LEGEND_FONT_SIZE * CHARACTER_WIDTH;
  const legendHeight = padding * 2 + (entries.length + bandEntries.length) * rowHeight - 8;
  const inset = 10;
  const left = position.endsWith('left') ? box.left + inset : box.right - inset - legendWidth;
  const top = position.startsWith('upper') ? box.top + inset : box.bottom - inset - legendHeight;

  const parts: string[] = ['<g class="legend">'];
  parts.push(
    `<rect x="${n(left)}" y="${n(top)}" width="${n(legendWidth)}" height="${n(legendHeight)}" ` +
      'fill="white" fill-opacity="0.9" stroke="#808080" stroke-width="1"/>',
  );
  entries.forEach((entry, row) => {
    const centreY = top + padding + row * rowHeight + LEGEND_FONT_SIZE / 2;
    const x0 = left + padding;
    const color = escapeXml(entry.color);
    if (entry.series.line ?? true) {
      const dash = entry.series.dashed ? ' stroke-dasharray="6 4"' : '';
      parts.push(
        `<path d="M${n(x0)} ${n(centreY)}h${sampleWidth}" stroke="${color}" ` +
          `stroke-width="${n(entry.series.lineWidth ?? 2)}"${dash}/>`,
      );
    }
    if (entry.series.markers ?? false) {
      parts.push(
        `<circle cx="${n(x0 + sampleWidth / 2)}" cy="${n(centreY)}" r="4" fill="${color}" stroke="black" stroke-width="0.8"/>`,
      );
    }
    parts.push(
      `<text x="${n(x0 + sampleWidth + 6)}" y="${n(centreY + LEGEND_FONT_SIZE * 0.35)}" font-size="${LEGEND_FONT_SIZE}">` +
        `${escapeXml(entry.series.label)}</text>`,
    );
  });
  bandEntries.forEach((entry, index) => {
    const centreY = top + padding + (entries.length + index) * rowHeight + LEGEND_FONT_SIZE / 2;
    const x0 = left + padding;
    parts.push(
      `<rect x="${n(x0)}" y="${n(centreY - 5)}" width="${sampleWidth}" height="10" fill="${escapeXml(entry.color)}" ` +
        `fill-opacity="${entry.band.opacity ?? 0.25}"/>`,
    );
    parts.push(
      `<text x="${n(x0 + sampleWidth + 6)}" y="${n(centreY + LEGEND_FONT_SIZE * 0.35)}" font-size="${LEGEND_FONT_SIZE}">` +
        `${escapeXml(entry.band.label)}</text>`,
    );
  });
  parts.push('</g>');
  return parts;
}

/** Formats a pixel coordinate with at most two decimals. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}
