/**
 * `bhive export --config FILE [--name value ...]`: the best model of the training that the
 * parameters select, as ONNX. It runs the Export task (and whatever it needs) like
 * `bhive run Export`, so the export lands in that task's output directory.
 */
import { runCommand } from './run-command.js';

export const EXPORT_HELP = `usage: bhive export --config FILE [options] [--parameter value ...]

Exports the best model of the training selected by the task parameters (for example
--model deepjet --epochs 40) as ONNX: model.onnx and model_inputs.json (input names,
shapes, feature order, pad values, preprocessing). Before writing, ONNX Runtime and the
tfjs model predict the first --check-jets jets (default 2000) of --check-sample (default
test), and the export fails if any probability differs by more than 1e-5.

DeepJet uses CMSSW's names: inputs input_0 [N, 15], input_1 [N, 25, 16], input_2 [N, 25, 6],
input_3 [N, 4, 12] for the NANOX configuration, output ID_pred [N, classes] with the softmax
inside; N is dynamic. The MLP reads global_features and writes probabilities.

The options are those of 'bhive run' (--output-dir, --data-dir, --quiet, ...); this is the
same as 'bhive run Export'.`;

export async function exportCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  return runCommand(['Export', ...argv]);
}
