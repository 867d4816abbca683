import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { processJetFile, requiredBranches } from '../../src/processing/index.js';
import { readWithJsroot } from '../root/jsroot-loop.js';
import { NANOX_CLASSES, NANOX_DROP, nanoxConfig, nanoxFile } from './nanox-config.js';

/** Counts classes and drop categories with a plain jsroot loop, independently of bhive's readers. */
async function countWithJsroot(file: string): Promise<{ classes: Record<string, number>; dropped: Record<string, number> }> {
  const flags = [...NANOX_CLASSES, ...NANOX_DROP].flatMap(([, f]) => f);
  const rows = await readWithJsroot(file, 'jets', flags);
  const classes: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  for (const row of rows) {
    const drop = NANOX_DROP.find(([, f]) => f.some((name) => row[name] !== 0));
    if (drop) {
      dropped[drop[0]] = (dropped[drop[0]] ?? 0) + 1;
      continue;
    }
    const matches = NANOX_CLASSES.filter(([, f]) => f.some((name) => row[name] !== 0));
    const key = matches.length === 1 ? matches[0][0] : `${matches.length} classes`;
    classes[key] = (classes[key] ?? 0) + 1;
  }
  return { classes, dropped };
}

for (const name of ['train_1.root', 'test_1.root']) {
  test(`class counts of ${name}`, async () => {
    const file = nanoxFile(name);
    const processed = await processJetFile(nanoxConfig(), file);
    const expected = await countWithJsroot(file);
    const counts: Record<string, number> = {};
    for (const label of processed.label) {
      const className = NANOX_CLASSES[label][0];
      counts[className] = (counts[className] ?? 0) + 1;
    }
    assert.deepEqual(counts, expected.classes);
    assert.deepEqual(processed.dropped, expected.dropped);
    assert.equal(processed.numJets + Object.values(processed.dropped).reduce((a, b) => a + b, 0), processed.numEntries);
  });
}

test('train_1 counts by hand', async () => {
  // Values from a separate jsroot script over train_1.root, cross-checked against the loop above.
  const processed = await processJetFile(nanoxConfig(), nanoxFile('train_1.root'));
  assert.equal(processed.numEntries, 405);
  assert.equal(processed.numJets, 377);
  assert.deepEqual(processed.dropped, { llp: 28 });
});

test('padded candidates match the raw branches', async () => {
  const config = nanoxConfig();
  const file = nanoxFile('train_1.root');
  const processed = await processJetFile(config, file);
  // jsroot reads a counter together with its jagged branches only when the counter comes first.
  const rows = await readWithJsroot(file, 'jets', ['ncpf', 'global_pt', 'cpf_trackSip2dVal', 'sv_dxy']);
  const cpf = config.candidates[0];
  const sv = config.candidates[2];
  const sipIndex = cpf.features.indexOf('cpf_trackSip2dVal');
  const dxyIndex = sv.features.indexOf('sv_dxy');
  const ncpfIndex = config.globalFeatures.indexOf('ncpf');
  let clipped = 0;
  for (let j = 0; j < processed.numJets; j++) {
    const row = rows[processed.entries[j]];
    const sip = row.cpf_trackSip2dVal as number[];
    const dxy = row.sv_dxy as number[];
    if (sip.length > cpf.maxCandidates) clipped++;
    for (let c = 0; c < cpf.maxCandidates; c++) {
      const value = processed.groups.cpf[(j * cpf.maxCandidates + c) * cpf.features.length + sipIndex];
      assert.equal(value, c < sip.length ? sip[c] : cpf.padValue);
    }
    for (let c = 0; c < sv.maxCandidates; c++) {
      const value = processed.groups.sv[(j * sv.maxCandidates + c) * sv.features.length + dxyIndex];
      assert.equal(value, c < dxy.length ? dxy[c] : sv.padValue);
    }
    assert.equal(processed.global[j * config.globalFeatures.length + ncpfIndex], row.ncpf);
    assert.equal(processed.pt[j], Math.fround(10 ** (row.global_pt as number)));
  }
  assert.ok(clipped > 0, 'some jets have more than 25 charged candidates, so clipping is exercised');
});

test('requireLabels false reads no flags', async () => {
  const config = nanoxConfig();
  assert.ok(!requiredBranches(config, false).some((name) => name.startsWith('jetorigin_')));
  const processed = await processJetFile(config, nanoxFile('da_train1_1.root'), { requireLabels: false });
  assert.equal(processed.numEntries, 334);
  assert.equal(processed.numJets, 334);
  assert.ok(processed.label.every((label) => label === -1));
});

test('data file with labels required fails', async () => {
  await assert.rejects(processJetFile(nanoxConfig(), nanoxFile('da_train1_1.root')), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.context.branch ?? '', /^jetorigin_/);
    return true;
  });
});

test('candidate branch used as global feature', async () => {
  const config = nanoxConfig({ globalFeatures: ['global_pt', 'cpf_ptrel'] });
  await assert.rejects(processJetFile(config, nanoxFile('train_1.root')), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.branch, 'cpf_ptrel');
    assert.match(error.message, /variable number of values per entry/);
    return true;
  });
});

test('pT cut in GeV removes jets', async () => {
  const config = nanoxConfig({ cuts: { ptMin: 100, ptMax: 1500, absEtaMax: 2.5 } });
  const processed = await processJetFile(config, nanoxFile('train_1.root'));
  assert.ok(processed.dropped.pt_min > 0);
  assert.ok(processed.pt.every((pt) => pt >= 100));
});

test('rules give the same labels as flags', async () => {
  const file = nanoxFile('train_2.root');
  const withFlags = await processJetFile(nanoxConfig(), file);
  // Each class as the rule 'first flag != 0', which equals the flag definition for classes with one flag.
  const config = nanoxConfig({
    classes: NANOX_CLASSES.map(([name, flags]) => ({
      name,
      flags: [],
      conditions: [{ branch: flags[0], operator: 'not_in' as const, values: [0] }],
    })),
  });
  const withRules = await processJetFile(config, file);
  const single = new Set(NANOX_CLASSES.flatMap(([, flags], c) => (flags.length === 1 ? [c] : [])));
  const flagIndex = new Map(Array.from(withFlags.entries).map((entry, j) => [entry, withFlags.label[j]]));
  let compared = 0;
  withRules.entries.forEach((entry, j) => {
    const label = flagIndex.get(entry);
    if (label !== undefined && single.has(label)) {
      assert.equal(withRules.label[j], label, `entry ${entry}`);
      compared += 1;
    }
  });
  assert.ok(compared > 100, `compared ${compared} jets`);
});

test('sort_by orders candidates per jet', async () => {
  const base = nanoxConfig();
  const cpf = { ...base.candidates[0], sortBy: { feature: 'cpf_trackSip3dSig', descending: true } };
  const config = nanoxConfig({ candidates: [cpf] });
  const processed = await processJetFile(config, nanoxFile('train_1.root'));
  const unsorted = await processJetFile(nanoxConfig({ candidates: [base.candidates[0]] }), nanoxFile('train_1.root'));
  const width = cpf.maxCandidates * cpf.features.length;
  const sig = cpf.features.indexOf('cpf_trackSip3dSig');
  const ncpf = base.globalFeatures.indexOf('ncpf');
  let checked = 0;
  for (let j = 0; j < processed.numJets; j++) {
    const count = processed.global[j * base.globalFeatures.length + ncpf];
    // Jets with more candidates than kept may keep other candidates after sorting, so check jets that fit.
    if (count > cpf.maxCandidates || count < 2) continue;
    const sorted: number[] = [];
    const original: number[] = [];
    for (let c = 0; c < count; c++) {
      sorted.push(processed.groups.cpf[j * width + c * cpf.features.length + sig]);
      original.push(unsorted.groups.cpf[j * width + c * cpf.features.length + sig]);
    }
    assert.deepEqual(sorted, [...original].sort((a, b) => b - a), `jet ${j}`);
    checked += 1;
  }
  assert.ok(checked > 50, `checked ${checked} jets`);
});
