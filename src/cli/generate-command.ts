/** `bhive generate`: write a simulated jet sample in the NANOX layout (see src/generate/simulate.ts). */
import path from 'node:path';
import { TaskError } from '../errors.js';
import { generateSample } from '../generate/generate-sample.js';
import { parseArguments } from './args.js';

export const GENERATE_HELP = `usage: bhive generate [--output-dir DIR] [--train-files N] [--test-files N]
                     [--jets-per-file N] [--seed N]

Writes a simulated jet sample as ROOT files in the layout of the CMS NANOX per-jet
ntuples (tree 'jets'): train_<k>.root and test_<k>.root with truth flags, and
da_train1_1.root without them, like collision data. It is a toy model, not CMS data:
b jets have displaced tracks and heavy secondary vertices, c jets are in between, and
light-quark and gluon jets are prompt. Use the folder with configs/nanox_deepjet.yml:
  bhive run WorkingPoint --config configs/nanox_deepjet.yml --data-dir DIR

options:
  --output-dir DIR      folder for the files (default: ./results/simulated-data)
  --train-files N       files of the train sample (default: 5)
  --test-files N        files of the test sample (default: 2)
  --jets-per-file N     jets in each file (default: 4000)
  --seed N              seed of the simulation; the same seed gives identical files (default: 1)`;

function readInteger(value: string | boolean | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < min) {
    throw new TaskError(`invalid value '${String(value)}' for --${name}: expected an integer of at least ${min}`);
  }
  return number;
}

export async function generateCommand(argv: string[]): Promise<number> {
  const names = ['output-dir', 'train-files', 'test-files', 'jets-per-file', 'seed'];
  const args = parseArguments(argv, [...names.map((name) => ({ name })), { name: 'help', flag: true }]);
  if (args.options.help) {
    process.stdout.write(`${GENERATE_HELP}\n`);
    return 0;
  }
  const unknown = [...args.positional, ...Object.keys(args.parameters).map((name) => `--${name.replace(/_/g, '-')}`)];
  if (unknown.length > 0) throw new TaskError(`unexpected argument '${unknown[0]}'.\n${GENERATE_HELP}`);
  const outputDir = path.resolve(String(args.options['output-dir'] ?? path.join('results', 'simulated-data')));
  const sample = await generateSample({
    outputDir,
    numTrainFiles: readInteger(args.options['train-files'], 'train-files', 5, 1),
    numTestFiles: readInteger(args.options['test-files'], 'test-files', 2, 1),
    jetsPerFile: readInteger(args.options['jets-per-file'], 'jets-per-file', 4000, 1),
    seed: readInteger(args.options.seed, 'seed', 1, 0),
    onFile: (file, numJets) => process.stderr.write(`generate: ${numJets} jets -> ${file}\n`),
  });
  process.stderr.write(`generate: ${sample.numJets} simulated jets in ${sample.files.length} files in ${outputDir}\n`);
  return 0;
}
