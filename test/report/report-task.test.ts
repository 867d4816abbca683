import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { EvaluationSummary } from '../../src/evaluation/summary.js';
import { repoRoot } from '../helpers/paths.js';

test('Report task repeats the chain metrics', (t) => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-report-task-'));
  t.after(() => rmSync(outputRoot, { recursive: true, force: true }));
  const args = ['run', 'Report', '--config', path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), '--model', 'mlp', '--epochs', '2', '--output-dir', outputRoot, '--quiet'];
  const result = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'bhive.js'), ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);

  const reportDir = /Output: (\S+)/.exec(result.stderr)?.[1] ?? '';
  assert.ok(existsSync(path.join(reportDir, 'report.html')), `no report.html in '${reportDir}'`);
  const summary = JSON.parse(readFileSync(path.join(reportDir, 'evaluation.json'), 'utf8')) as EvaluationSummary;
  assert.deepEqual(summary.discriminants.map((d) => d.name), ['BvsL', 'CvsL', 'CvsB']);

  const provenance = JSON.parse(readFileSync(path.join(reportDir, 'provenance.json'), 'utf8')) as { upstream: Record<string, string> };
  const metrics = JSON.parse(readFileSync(path.join(provenance.upstream.workingPoint, 'metrics.json'), 'utf8')) as {
    discriminants: Record<string, { auc: number; working_points: Array<{ signal_efficiency: number }> }>;
  };
  for (const d of summary.discriminants) {
    assert.equal(d.auc, metrics.discriminants[d.name].auc, d.name);
    assert.deepEqual(d.working_points.map((wp) => wp.signal_efficiency), metrics.discriminants[d.name].working_points.map((wp) => wp.signal_efficiency));
  }
  assert.match(summary.provenance.inputs[0].path, /predictions\.npz$/);
});
