/**
 * Export: the best model of a training as ONNX (`model.onnx` and `model_inputs.json`),
 * checked with ONNX Runtime against the tfjs model on the first jets of a sample. DeepJet
 * takes CMSSW's names `input_0` ... `input_3` and `ID_pred`; see src/export/onnx-models.ts.
 */
import path from 'node:path';
import { selectJets } from '../../dataset/jet-arrays.js';
import { loadDataset } from '../../dataset/load.js';
import { exportOnnxModel } from '../../export/export-model.js';
import { indexRange } from '../../models/tfjs/inputs.js';
import { bhiveVersion } from '../provenance.js';
import type { TaskDefinition } from '../task.js';

export const exportTask: TaskDefinition = {
  name: 'Export',
  description: 'export the best model of a training as ONNX, checked with ONNX Runtime against the tfjs model',
  parameters: [
    {
      name: 'check_sample',
      description: 'sample under inputs.samples whose jets check the export',
      type: 'string',
      default: 'test',
      significant: true,
    },
    {
      name: 'check_jets',
      description: 'jets of the check sample compared between ONNX Runtime and tfjs (the first ones)',
      type: 'integer',
      default: 2000,
      min: 1,
      significant: true,
    },
  ],
  configKeys: ['candidates'],
  requires: (p) => [
    { key: 'training', task: 'Training' },
    { key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.check_sample } },
  ],
  tag: () => 'onnx',
  async run({ config, parameters, inputs, outputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    const numCheckJets = Math.min(Number(parameters.check_jets), arrays.numJets);
    const checkJets = selectJets(arrays, indexRange(0, numCheckJets));
    const summary = await exportOnnxModel(path.join(inputs.training, 'best_model'), outputDir, {
      globalFeatures: manifest.globalFeatures,
      padValues: Object.fromEntries(config.candidates.map((group) => [group.name, group.padValue])),
      checkJets,
      producerVersion: bhiveVersion(),
    });
    const names = summary.signature.inputs.map((input) => `${input.name} [${input.dims.join(', ')}]`).join(', ');
    reporter.info(`Export: ${path.basename(summary.modelFile)} with inputs ${names} and output ${summary.signature.output.name}`);
    if (summary.check !== undefined) {
      reporter.info(
        `Export: ONNX Runtime ${summary.check.onnxRuntimeVersion} and tfjs agree on ${summary.check.numJets} jets ` +
          `(largest probability difference ${summary.check.maxAbsDifference.toExponential(2)})`,
      );
    }
  },
};
