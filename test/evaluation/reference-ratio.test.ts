import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { mistagAtEfficiencies } from '../../src/evaluation/reference-ratio.js';
import { stackSvgs } from '../../src/plotting/stack.js';
import { repoRoot, sharedData } from '../helpers/paths.js';
import { findXmlProblems } from '../plotting/well-formed-xml.js';

test('mistag read at signal efficiencies', () => {
  const curve = {
    thresholds: new Float64Array([Infinity, 0.9, 0.5, 0.1, -Infinity]),
    signalEfficiency: new Float64Array([0, 0.3, 0.6, 0.9, 1]),
    backgroundEfficiency: new Float64Array([0, 0.01, 0.1, 0.5, 1]),
  };
  assert.deepEqual(mistagAtEfficiencies(curve, [0.2, 0.3, 0.31, 0.9, 0.95]), [0.01, 0.01, 0.1, 0.5, 1]);
});

test('stacked SVG panels keep their own ids', () => {
  const panel = (h: number): string =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="${h}"><defs><clipPath id="plot-area"><rect width="1" height="1"/></clipPath></defs><g clip-path="url(#plot-area)"/></svg>`;
  const svg = stackSvgs([panel(40), panel(60)]);
  assert.deepEqual(findXmlProblems(svg), []);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="100"/);
  assert.match(svg, /<svg x="0" y="40"/);
  assert.ok(svg.includes('id="panel0-plot-area"') && svg.includes('url(#panel1-plot-area)'));
  assert.throws(() => stackSvgs(['<svg width="auto" height="1"></svg>']), /numeric width and height/);
});

test('evaluate draws tagger against reference', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-reference-'));
  const config = path.join(dir, 'evaluate.yml');
  writeFileSync(
    config,
    `name: weaver_reference
input:
  tree: Events
  labels:
    one_hot: { H_bb: label_H_bb, H_cc: label_H_cc, H_qq: label_H_qq, H_tautau: label_H_tautau }
  scores: { H_bb: score_label_H_bb, H_cc: score_label_H_cc, H_qq: score_label_H_qq, H_tautau: score_label_H_tautau }
reference_taggers:
  rawHbb: { score: score_label_H_bb, signal: [H_bb], background: [H_qq] }
  rawHcc: { score: score_label_H_cc, signal: [H_cc], background: [H_qq] }
discriminants:
  HbbVsHqq: { signal: [H_bb], background: [H_qq] }
working_points: [0.1]
`,
  );
  const output = path.join(dir, 'out');
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot(), 'bin', 'bhive.js'), 'evaluate', sharedData('predictions', 'weaver_ak8_flavour_pred.root'), '--config', config, '--output', output, '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const ratios = readdirSync(output).filter((name) => name.startsWith('roc_ratio_')).sort();
  // Only the reference with the same signal and background classes is paired.
  assert.deepEqual(ratios, ['roc_ratio_HbbVsHqq_vs_rawHbb.json', 'roc_ratio_HbbVsHqq_vs_rawHbb.png', 'roc_ratio_HbbVsHqq_vs_rawHbb.svg']);
  const data = JSON.parse(readFileSync(path.join(output, 'roc_ratio_HbbVsHqq_vs_rawHbb.json'), 'utf8')) as { panels: unknown[] };
  assert.equal(data.panels.length, 2);
  assert.match(readFileSync(path.join(output, 'report.html'), 'utf8'), /against reference rawHbb/);
});
