#!/usr/bin/env node
// `npm run demo`: the whole chain (dataset construction, training, inference, ROC curves,
// working points) on the NANOX jets, then a summary of metrics.json. The data folder is
// $BHIVE_DATA, else ../shared/data/jets-nanox beside the repository. When neither exists,
// the demo first writes a simulated sample with `bhive generate` into
// results/simulated-data (once) and runs on that. Extra arguments are passed to
// `bhive run`, for example `npm run demo -- --epochs 5`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = path.join(root, 'configs', 'nanox_deepjet.yml');
const sharedDataDir = path.resolve(root, '..', 'shared', 'data', 'jets-nanox');
let dataDir = process.env.BHIVE_DATA ?? sharedDataDir;
if (!existsSync(dataDir) && process.env.BHIVE_DATA !== undefined) {
  process.stderr.write(`error: data folder ${dataDir} does not exist; set BHIVE_DATA to a folder with train_*.root and test_*.root files in the NANOX per-jet format\n`);
  process.exit(2);
}

const { runCli } = await import(path.join(root, 'dist', 'src', 'cli', 'main.js'));
if (!existsSync(dataDir)) {
  dataDir = path.join(root, 'results', 'simulated-data');
  process.stderr.write(`${sharedDataDir} is missing and BHIVE_DATA is unset, so the demo runs on simulated jets (a toy model, not CMS data) in ${dataDir}\n`);
  if (!existsSync(path.join(dataDir, 'simulated.json'))) {
    // 1000 jets per file keep DeepJet's 40 epochs to minutes, like the 2,000 jets of the CMS sample.
    const generated = await runCli(['generate', '--output-dir', dataDir, '--jets-per-file', '1000']);
    if (generated !== 0) process.exit(generated);
  }
}
const args = ['run', 'WorkingPoint', '--config', config, '--data-dir', dataDir, ...process.argv.slice(2)];
process.stderr.write(`bhive ${args.join(' ')}\n`);
const code = await runCli(args);
if (code !== 0) process.exit(code);

const { findOutput } = await import(path.join(root, 'dist', 'src', 'cli', 'locate.js'));
const outputDir = await findOutput('WorkingPoint', ['--config', config, '--data-dir', dataDir, ...process.argv.slice(2)]);
const metrics = JSON.parse(readFileSync(path.join(outputDir, 'metrics.json'), 'utf8'));
process.stdout.write(`\nResults in ${outputDir}\n`);
for (const [name, entry] of Object.entries(metrics.discriminants)) {
  const wps = entry.working_points.map((wp) => `${(100 * wp.signal_efficiency).toFixed(1)}% at ${wp.target_mistag * 100}% mistag${wp.note ? " (fewer background jets than this rate resolves)" : ""}`).join(', ');
  process.stdout.write(`  ${name}: AUC = ${entry.auc.toFixed(3)}; efficiency ${wps}\n`);
}
