// An application-specific check written as a bhive task in a user's own file: the b-tag
// efficiency and light mistag rate per pT bin at a fixed working point. Run it with
//
//   npx bhive run EfficiencyVsPt --config configs/nanox_deepjet.yml --module examples/efficiency-vs-pt.js
//
// It requires the Inference and WorkingPoint outputs of the same chain, so bhive runs or
// reuses them first, and its own output directory depends on its two parameters.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, formatCsv, readPredictions, resolveDiscriminant, computeDiscriminant, writeFileAtomic, writePlot } from 'bhive';

/** @type {import('bhive').TaskDefinition} */
const efficiencyVsPt = {
  name: 'EfficiencyVsPt',
  description: 'signal efficiency and mistag rate per pT bin at one working point of one discriminant',
  parameters: [
    { name: 'discriminant', description: 'discriminant name from the config', type: 'string', default: 'BvsL', significant: true },
    { name: 'mistag', description: 'target mistag rate of the working point', type: 'number', default: 0.01, significant: true, min: 0 },
  ],
  // The pT binning of the reweighting section defines the bins.
  configKeys: ['reweighting', 'discriminants'],
  requires: () => [
    { key: 'inference', task: 'Inference' },
    { key: 'workingPoint', task: 'WorkingPoint' },
  ],
  tag: (p) => `${p.discriminant}-${p.mistag}`,

  async run({ config, parameters, inputs, outputDir, reporter }) {
    const name = String(parameters.discriminant);
    const spec = config.discriminants.find((d) => d.name === name);
    if (!spec) throw new ConfigError(`discriminant '${name}' is not defined in ${config.path}`, { configKey: 'discriminants' });

    // The threshold comes from the WorkingPoint task's metrics.json.
    const metrics = JSON.parse(await readFile(path.join(inputs.workingPoint, 'metrics.json'), 'utf8'));
    const point = metrics.discriminants[name].working_points.find((wp) => wp.target_mistag === Number(parameters.mistag));
    if (!point) {
      const known = metrics.discriminants[name].working_points.map((wp) => wp.target_mistag).join(', ');
      throw new ConfigError(`no working point at mistag ${parameters.mistag} for ${name}; the config's working_points are ${known}`, { configKey: 'working_points' });
    }

    const info = JSON.parse(await readFile(path.join(inputs.inference, 'predictions.json'), 'utf8'));
    const predictions = await readPredictions(path.join(inputs.inference, 'predictions.npz'), info.classes);
    const discriminant = resolveDiscriminant(spec, info.classes);
    const { scores } = computeDiscriminant(predictions.probabilities, info.classes.length, discriminant);

    const edges = config.reweighting.ptBins;
    const numBins = edges.length - 1;
    const signalTotal = new Float64Array(numBins);
    const signalTagged = new Float64Array(numBins);
    const backgroundTotal = new Float64Array(numBins);
    const backgroundTagged = new Float64Array(numBins);
    const isSignal = new Set(discriminant.signalClasses);
    const isBackground = new Set(discriminant.backgroundClasses);
    for (let jet = 0; jet < scores.length; jet++) {
      const pt = predictions.pt[jet];
      let bin = edges.findIndex((edge, i) => i < numBins && pt >= edge && pt < edges[i + 1]);
      if (bin < 0) bin = pt < edges[0] ? 0 : numBins - 1;
      const tagged = point.threshold === null || scores[jet] > point.threshold ? 1 : 0;
      const label = predictions.label[jet];
      if (isSignal.has(label)) {
        signalTotal[bin]++;
        signalTagged[bin] += tagged;
      } else if (isBackground.has(label)) {
        backgroundTotal[bin]++;
        backgroundTagged[bin] += tagged;
      }
    }

    const centres = Array.from({ length: numBins }, (_, i) => 0.5 * (edges[i] + edges[i + 1]));
    const efficiency = Array.from(signalTagged, (n, i) => (signalTotal[i] > 0 ? n / signalTotal[i] : NaN));
    const mistag = Array.from(backgroundTagged, (n, i) => (backgroundTotal[i] > 0 ? n / backgroundTotal[i] : NaN));
    writeFileAtomic(
      path.join(outputDir, 'efficiency_vs_pt.csv'),
      formatCsv([
        { header: 'pt_low', values: edges.slice(0, -1) },
        { header: 'pt_high', values: edges.slice(1) },
        { header: 'signal_jets', values: Array.from(signalTotal) },
        { header: 'signal_efficiency', values: efficiency },
        { header: 'background_jets', values: Array.from(backgroundTotal) },
        { header: 'mistag_rate', values: mistag },
      ]),
    );
    writePlot(path.join(outputDir, 'efficiency_vs_pt'), {
      title: `${name} at ${100 * Number(parameters.mistag)}% mistag`,
      xAxis: { title: 'jet pT [GeV]' },
      yAxis: { title: 'fraction tagged', min: 0, max: 1 },
      series: [
        { label: 'signal efficiency', x: centres, y: efficiency, markers: true },
        { label: 'mistag rate', x: centres, y: mistag, markers: true },
      ],
      legend: 'upper-right',
    });
    reporter.info(`EfficiencyVsPt: ${name} efficiency per pT bin: ${efficiency.map((e) => e.toFixed(2)).join(', ')}`);
  },
};

/** Called by `bhive --module`: add this file's tasks to the registry. */
export function registerTasks(registry) {
  registry.register(efficiencyVsPt);
}
