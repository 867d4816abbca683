/** The training and validation loss per epoch, as a plot. */
import { InputError } from '../errors.js';
import type { EpochMetrics } from '../models/classifier.js';
import { writePlot, type PlotFiles } from '../plotting/index.js';

export interface LossCurveOptions {
  /** PNG width in pixels; default 1280. */
  pngWidth?: number;
  /** Plot title; default "Loss per epoch". */
  title?: string;
}

/**
 * Writes `${outputPathBase}.svg` and `.png` with the training and validation loss
 * against epoch, atomically; the directory must exist. Throws an InputError when the
 * history has no epochs.
 */
export function writeLossCurve(
  outputPathBase: string,
  history: readonly EpochMetrics[],
  options: LossCurveOptions = {},
): PlotFiles {
  if (history.length === 0) {
    throw new InputError(`training history for ${outputPathBase} has no epochs; train at least one epoch before plotting`);
  }
  const epochs = history.map((metrics) => metrics.epoch);
  return writePlot(
    outputPathBase,
    {
      title: options.title ?? 'Loss per epoch',
      xAxis: { title: 'epoch', integerTicks: true },
      yAxis: { title: 'loss' },
      series: [
        { label: 'training', x: epochs, y: history.map((metrics) => metrics.trainLoss), markers: true },
        { label: 'validation', x: epochs, y: history.map((metrics) => metrics.validationLoss), markers: true },
      ],
      legend: 'upper-right',
    },
    { pngWidth: options.pngWidth ?? 1280 },
  );
}
