/**
 * Figures of several plots stacked vertically, such as a ROC curve above its ratio panel.
 * Each panel is a complete SVG from `renderLinePlot`, nested at its vertical offset with
 * its ids prefixed so that the panels keep their own clip paths.
 */
import { writeFileAtomic } from './atomic-write.js';
import { svgToPng } from './png.js';
import { renderLinePlot } from './svg.js';
import { prefixSvgIds } from './svg-ids.js';
import type { LinePlotSpec } from './types.js';
import { plotData } from './write-plot.js';

/** Stack SVG documents vertically into one; each must have numeric width and height. */
export function stackSvgs(svgs: readonly string[]): string {
  let width = 0;
  let height = 0;
  const panels: string[] = [];
  svgs.forEach((svg, index) => {
    const root = /<svg\b[^>]*>/.exec(svg);
    const w = root ? Number(/\swidth="([\d.]+)"/.exec(root[0])?.[1]) : NaN;
    const h = root ? Number(/\sheight="([\d.]+)"/.exec(root[0])?.[1]) : NaN;
    if (!root || !Number.isFinite(w) || !Number.isFinite(h)) throw new Error(`panel ${index} is not an SVG document with a numeric width and height`);
    const body = prefixSvgIds(svg, `panel${index}-`).replace(/<svg\b/, `<svg x="0" y="${height}"`);
    panels.push(body);
    width = Math.max(width, w);
    height += h;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${panels.join('\n')}\n</svg>\n`;
}

/** Write `basePath`.svg, .png and .json of panels stacked top to bottom, atomically. */
export function writeStackedPlot(basePath: string, specs: readonly LinePlotSpec[], pngWidth = 1280): void {
  const svg = stackSvgs(specs.map((spec) => renderLinePlot(spec)));
  writeFileAtomic(`${basePath}.svg`, svg);
  writeFileAtomic(`${basePath}.png`, svgToPng(svg, pngWidth));
  writeFileAtomic(`${basePath}.json`, `${JSON.stringify({ panels: specs.map((spec) => plotData(spec)) })}\n`);
}
