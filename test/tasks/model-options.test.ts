import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const baseConfig = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');

/** Write a copy of the NANOX config with `section` appended into `dir` and return its path. */
function configWith(dir: string, section: string): string {
  const file = path.join(dir, 'config.yml');
  const text = readFileSync(baseConfig, 'utf8').replace(/^\s*data_dir:.*$/m, `  data_dir: ${sharedData('jets-nanox')}`);
  writeFileSync(file, `${text}\n${section}\n`);
  return file;
}

function train(config: string, outputRoot: string): { status: number | null; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [bhive, 'run', 'Training', '--config', config, '--output-dir', outputRoot, '--model', 'mlp', '--epochs', '1', '--quiet'],
    { encoding: 'utf8' },
  );
  return { status: result.status, stderr: result.stderr };
}

test('model options reach the model', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-model-options-'));
  const config = configWith(dir, 'model_options:\n  mlp: { hiddenLayers: [7, 5] }\n  deepjet: { dropout: 0.3 }');
  const result = train(config, path.join(dir, 'out'));
  assert.equal(result.status, 0, result.stderr);
  const trainingRoot = path.join(dir, 'out', 'Training');
  const [configDir] = readdirSync(trainingRoot);
  const [run] = readdirSync(path.join(trainingRoot, configDir)).filter((name) => !name.endsWith('.lock'));
  const header = JSON.parse(readFileSync(path.join(trainingRoot, configDir, run, 'best_model', 'model.json'), 'utf8')) as {
    options: Record<string, unknown>;
    weights: { arrays: Array<{ name: string; shape: number[] }> };
  };
  assert.deepEqual(header.options.hiddenLayers, [7, 5]);
  const kernels = header.weights.arrays.filter((a) => a.name.endsWith('/kernel')).map((a) => a.shape[1]);
  assert.deepEqual(kernels, [7, 5, 6]);
});

test('unknown model option names the option', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-model-options-'));
  const config = configWith(dir, 'model_options:\n  mlp: { hidenLayers: [7] }');
  const result = train(config, path.join(dir, 'out'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /hidenLayers/);
  assert.match(result.stderr, /model_options\.mlp\.hidenLayers/);
});

test('model options reject a seed', () => {
  const text = readFileSync(baseConfig, 'utf8') + '\nmodel_options:\n  mlp: { seed: 4 }\n';
  assert.throws(() => parseConfig(text, baseConfig), (error: Error) => error instanceof ConfigError && /model_options\.mlp\.seed/.test(error.message));
});
