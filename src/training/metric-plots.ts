/** Plots of the per-epoch training metrics besides the loss: accuracy and learning rate. */

import path from 'node:path';
import type { EpochMetrics } from '../models/classifier.js';
import { writePlot } from '../plotting/index.js';
import type { PlotFiles } from '../plotting/index.js';

/**
 * Write `accuracy_curve.{svg,png,json}` (training and validation accuracy) and
 * `learning_rate_curve.{svg,png,json}` (learning rate of each epoch's last step, log scale)
 * into `dir`. Does nothing for an empty history.
 */
export function writeMetricPlots(dir: string, history: readonly EpochMetrics[]): PlotFiles[] {
  if (history.length === 0) return [];
  const epochs = history.map((m) => m.epoch);
  const accuracy = writePlot(
    path.join(dir, 'accuracy_curve'),
    {
      title: 'Accuracy per epoch',
      xAxis: { title: 'epoch', integerTicks: true },
      yAxis: { title: 'accuracy' },
      series: [
        { label: 'training', x: epochs, y: history.map((m) => m.trainAccuracy), markers: true },
        { label: 'validation', x: epochs, y: history.map((m) => m.validationAccuracy), markers: true },
      ],
      legend: 'lower-right',
    },
    { pngWidth: 1280 },
  );
  const learningRate = writePlot(
    path.join(dir, 'learning_rate_curve'),
    {
      title: 'Learning rate per epoch',
      xAxis: { title: 'epoch', integerTicks: true },
      yAxis: { title: 'learning rate (last step of the epoch)', scale: 'log' },
      series: [{ label: '', x: epochs, y: history.map((m) => m.learningRate), markers: true }],
    },
    { pngWidth: 1280 },
  );
  return [accuracy, learningRate];
}
