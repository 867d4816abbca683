import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findXmlProblems } from '../plotting/well-formed-xml.js';
import { writeSyntheticRun } from './report-data.js';

test('report is self-contained with every plot', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inputFile = path.join(dir, 'input.bin');
  writeFileSync(inputFile, 'synthetic input');
  const summary = await writeSyntheticRun(path.join(dir, 'run'), 'Synthetic', 1.5, 4, inputFile);
  const html = readFileSync(path.join(dir, 'run', 'report.html'), 'utf8');

  // no external resources: no scripts, style sheets or images loaded from elsewhere
  assert.doesNotMatch(html, /<script|<link|<img|src="http|href="http/);
  assert.ok(html.startsWith('<!DOCTYPE html>'));

  // one inline SVG per plot, every plot also written as PNG, SVG and JSON
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, summary.plots.length);
  for (const svg of svgs) assert.deepEqual(findXmlProblems(svg), []);
  for (const plot of summary.plots) {
    for (const extension of ['png', 'svg', 'json']) assert.ok(existsSync(path.join(dir, 'run', `${plot.name}.${extension}`)), `${plot.name}.${extension}`);
  }
  assert.deepEqual(
    summary.plots.map((plot) => plot.name),
    ['roc_all', 'roc_BvsL', 'roc_CvsL', 'working_points_BvsL', 'working_points_CvsL', 'efficiency_vs_pt_BvsL', 'efficiency_vs_eta_BvsL',
      'efficiency_vs_pt_CvsL', 'efficiency_vs_eta_CvsL', 'roc_windows_BvsL', 'roc_windows_CvsL'],
  );
  for (const table of ['working_points.csv', 'rejection.csv', 'windows.csv', 'roc_band_BvsL.csv', 'efficiency_vs_pt_BvsL.csv']) {
    assert.ok(existsSync(path.join(dir, 'run', table)), table);
  }

  // clip-path ids are unique across the inlined plots
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(ids).size, ids.length);
  for (const match of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(match[1]), `dangling reference ${match[1]}`);

  // tables carry the summary's numbers, and the provenance the input's hash
  const bvsl = summary.discriminants[0];
  assert.ok(html.includes(bvsl.auc.toFixed(4).slice(0, 5)));
  assert.ok(bvsl.auc_bootstrap_std !== undefined);
  assert.ok(bvsl.auc_bootstrap_std > 0);
  const sha = createHash('sha256').update('synthetic input').digest('hex');
  assert.equal(summary.provenance.inputs[0].sha256, sha);
  assert.ok(html.includes(sha));
  assert.ok(html.includes('rejection at 70% signal eff.'));
});
