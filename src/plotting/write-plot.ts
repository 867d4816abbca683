/** Writing a plot as SVG and PNG pictures, with its data as JSON beside them. */
import { writeFileAtomic } from './atomic-write.js';
import { svgToPng, type PngOptions } from './png.js';
import { renderLinePlot } from './svg.js';
import type { LinePlotSpec } from './types.js';

export interface WritePlotOptions extends PngOptions {
  /** PNG width in pixels; default twice the SVG width, for sharp text. */
  pngWidth?: number;
}

/** Paths of the files that writePlot wrote. */
export interface PlotFiles {
  svgPath: string;
  pngPath: string;
  /** The plotted numbers as JSON (see plotData). */
  dataPath: string;
}

/**
 * Returns the numbers of a plot as plain JSON-ready data: title, axis specs, and per
 * series its label with x, y and y errors, and per band its label with x, low and high.
 * JSON has no infinities or NaN, so such values become null.
 */
export function plotData(spec: LinePlotSpec): object {
  return {
    title: spec.title ?? null,
    xAxis: spec.xAxis,
    yAxis: spec.yAxis,
    series: spec.series.map((series) => ({
      label: series.label,
      x: Array.from(series.x),
      y: Array.from(series.y),
      ...(series.yErrors === undefined ? {} : { yErrors: Array.from(series.yErrors) }),
    })),
    bands: (spec.bands ?? []).map((band) => ({ label: band.label, x: Array.from(band.x), low: Array.from(band.low), high: Array.from(band.high) })),
  };
}

/**
 * Renders `spec` and writes `${basePath}.svg`, `${basePath}.png` and `${basePath}.json`
 * (the plotted numbers), each atomically (temporary name, then rename). The directory
 * must exist.
 */
export function writePlot(basePath: string, spec: LinePlotSpec, options: WritePlotOptions = {}): PlotFiles {
  const svg = renderLinePlot(spec);
  const pngWidth = options.pngWidth ?? 2 * (spec.width ?? 640);
  const png = svgToPng(svg, pngWidth, options);
  const svgPath = `${basePath}.svg`;
  const pngPath = `${basePath}.png`;
  const dataPath = `${basePath}.json`;
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, png);
  writeFileAtomic(dataPath, `${JSON.stringify(plotData(spec))}\n`);
  return { svgPath, pngPath, dataPath };
}
