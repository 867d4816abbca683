/**
 * InputPlots: the distribution of every input feature per class, from a constructed
 * dataset. Global features use one value per jet. Candidate features use every candidate
 * slot that is not padding, where padding is a slot whose features all equal the group's
 * pad value.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDataset } from '../../dataset/load.js';
import { histogramByClass, type FeatureHistograms } from '../../evaluation/input-histograms.js';
import { writePlot } from '../../plotting/index.js';
import type { TaskDefinition } from '../task.js';

export const inputPlots: TaskDefinition = {
  name: 'InputPlots',
  description: 'per-class distributions of every global and candidate feature of a dataset (PNG, SVG, JSON)',
  parameters: [
    { name: 'sample', description: 'sample under inputs.samples in the config whose dataset is plotted', type: 'string', default: 'train', significant: true },
    { name: 'bins', description: 'bins per histogram', type: 'integer', default: 40, significant: true, min: 1 },
  ],
  configKeys: ['candidates'],
  requires: (p) => [{ key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.sample, require_labels: true } }],
  tag: (p) => String(p.sample),
  async run({ config, parameters, inputs, outputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    const numBins = Number(parameters.bins);
    const summary: Record<string, { counts: Record<string, number>; num_non_finite: number }> = {};
    const plot = (name: string, title: string, histograms: FeatureHistograms): void => {
      const centres = histograms.edges.slice(0, -1).map((edge, k) => 0.5 * (edge + histograms.edges[k + 1]));
      writePlot(path.join(outputDir, `inputs_${name}`), {
        title,
        xAxis: { title },
        yAxis: { title: 'fraction of the class', min: 0 },
        series: manifest.classes.map((className) => ({ label: `${className} (${histograms.counts[className]})`, x: centres, y: histograms.fractions[className] })),
        legend: 'upper-right',
      });
      summary[name] = { counts: histograms.counts, num_non_finite: histograms.numNonFinite };
    };

    const numGlobal = manifest.globalFeatures.length;
    manifest.globalFeatures.forEach((feature, f) => {
      const values = new Float32Array(arrays.numJets);
      for (let jet = 0; jet < arrays.numJets; jet++) values[jet] = arrays.global[jet * numGlobal + f];
      plot(`global_${feature}`, feature, histogramByClass(values, arrays.label, manifest.classes, numBins));
    });

    for (const group of manifest.groups) {
      const padValue = config.candidates.find((candidate) => candidate.name === group.name)?.padValue ?? 0;
      const data = arrays.groups[group.name];
      const numFeatures = group.features.length;
      const slots = arrays.numJets * group.maxCandidates;
      const slotClass = new Int32Array(slots);
      for (let slot = 0; slot < slots; slot++) {
        let padding = true;
        for (let f = 0; f < numFeatures && padding; f++) padding = data[slot * numFeatures + f] === padValue;
        slotClass[slot] = padding ? -1 : arrays.label[Math.floor(slot / group.maxCandidates)];
      }
      group.features.forEach((feature, f) => {
        const values = new Float32Array(slots);
        for (let slot = 0; slot < slots; slot++) values[slot] = data[slot * numFeatures + f];
        plot(`${group.name}_${feature}`, `${feature} (${group.name} candidates)`, histogramByClass(values, slotClass, manifest.classes, numBins));
      });
      reporter.progress('input plots', manifest.groups.indexOf(group) + 1, manifest.groups.length, group.name);
    }
    reporter.endProgress();
    await writeFile(path.join(outputDir, 'input_plots.json'), `${JSON.stringify({ classes: manifest.classes, features: summary }, null, 2)}\n`);
    reporter.info(`InputPlots: ${Object.keys(summary).length} features of ${arrays.numJets} jets`);
  },
};
