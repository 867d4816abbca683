/**
 * The plotting layer: plot specifications (plain data) rendered to SVG by a small
 * renderer of its own, and to PNG by resvg. It contains no physics, because callers in
 * src/evaluation and src/tasks build the specifications.
 */
export type { AxisScale, AxisSpec, BandSeries, LegendPosition, LinePlotSpec, LineSeries } from './types.js';
export { escapeXml, renderLinePlot, FONT_FAMILY, SERIES_COLORS } from './svg.js';
export { svgToPng, DEJAVU_FONT_DIRS, type PngOptions } from './png.js';
export { plotData, writePlot, type PlotFiles, type WritePlotOptions } from './write-plot.js';
export { writeFileAtomic } from './atomic-write.js';
export { decadeFloor, formatDecade, formatLinearTick, linearTicks, logDomain, logTicks, niceLinearDomain, niceStep } from './ticks.js';
export { stackSvgs, writeStackedPlot } from './stack.js';
export { prefixSvgIds } from './svg-ids.js';
