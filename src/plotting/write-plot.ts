/** Writing a plot as an SVG and a PNG file side by side. */
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
}

/**
 * Renders `spec` and writes `${basePath}.svg` and `${basePath}.png`, each atomically
 * (temporary name, then rename). The directory must exist.
 */
export function writePlot(basePath: string, spec: LinePlotSpec, options: WritePlotOptions = {}): PlotFiles {
  const svg = renderLinePlot(spec);
  const pngWidth = options.pngWidth ?? 2 * (spec.width ?? 640);
  const png = svgToPng(svg, pngWidth, options);
  const svgPath = `${basePath}.svg`;
  const pngPath = `${basePath}.png`;
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, png);
  return { svgPath, pngPath };
}
