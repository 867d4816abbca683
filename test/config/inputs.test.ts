import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { globToRegExp, resolveSampleFiles } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

const configPath = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');

test('glob translation', () => {
  assert.ok(globToRegExp('train_*.root').test('train_12.root'));
  assert.ok(!globToRegExp('train_*.root').test('test_1.root'));
  assert.ok(globToRegExp('train_[1-3].root').test('train_2.root'));
  assert.ok(!globToRegExp('train_[1-3].root').test('train_4.root'));
  assert.ok(globToRegExp('a?.root').test('ab.root'));
  assert.ok(!globToRegExp('a.root').test('abroot'));
});

test('train and test samples resolve to the real files', async () => {
  const config = await loadConfig(configPath);
  const dataDir = sharedData('jets-nanox');
  const train = resolveSampleFiles(config, 'train', dataDir);
  assert.deepEqual(train.map((f) => path.basename(f)), ['train_1.root', 'train_2.root', 'train_3.root', 'train_4.root', 'train_5.root']);
  const testFiles = resolveSampleFiles(config, 'test', dataDir);
  assert.deepEqual(testFiles.map((f) => path.basename(f)), ['test_1.root', 'test_2.root', 'test_3.root', 'test_4.root']);
});

test('unknown sample and empty data directory are reported', async () => {
  const config = await loadConfig(configPath);
  assert.throws(() => resolveSampleFiles(config, 'trian', sharedData('jets-nanox')), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /Did you mean 'train'/);
    return true;
  });
  assert.throws(() => resolveSampleFiles(config, 'train', '/nonexistent/data'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /\/nonexistent\/data/);
    return true;
  });
});
