import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import type { BhiveConfig } from '../../src/config/types.js';
import { resolveProcessor } from '../../src/dataset/construct.js';
import { InputError } from '../../src/errors.js';
import type { ProcessedJets } from '../../src/processing/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';
import { readWithJsroot } from '../root/jsroot-loop.js';

/** Loads a config of configs/ without its cuts, so that every jet of the file is kept. */
async function configWithoutCuts(name: string): Promise<BhiveConfig> {
  const config = await loadConfig(path.join(repoRoot(), 'configs', name));
  config.cuts = {};
  return config;
}

async function process(config: BhiveConfig, file: string, stepSize?: number): Promise<ProcessedJets> {
  return resolveProcessor(config).processFile(config, file, { stepSize });
}

function countLabels(processed: ProcessedJets, classes: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const label of processed.label) counts[classes[label]] += 1;
  return counts;
}

/** Counts jets per truth value with a plain jsroot loop over the events. */
async function countTruthWithJsroot(file: string, tree: string, branch: string, values: Record<string, number>): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(values).map((c) => [c, 0]));
  for (const row of await readWithJsroot(file, tree, [branch])) {
    for (const value of Array.from(row[branch] as ArrayLike<number>)) {
      const name = Object.keys(values).find((c) => values[c] === value);
      if (name !== undefined) counts[name] += 1;
    }
  }
  return counts;
}

const NANOAOD_FILES: Array<[string, Record<string, number>]> = [
  ['ttH_M125_2017.root', { b: 187, c: 83, light: 804 }],
  ['DYJetsToLL--UL17_v6-v2_109_Skim.root', { b: 1, c: 13, light: 588 }],
  ['ggH_M125_amcatnlo_v13.root', { b: 2, c: 12, light: 426 }],
];

for (const [name, published] of NANOAOD_FILES) {
  test(`nanoaod class counts of ${name}`, async () => {
    const file = sharedData('nanoaod', name);
    const config = await configWithoutCuts('nanoaod_jets.yml');
    const processed = await process(config, file);
    const independent = await countTruthWithJsroot(file, 'Events', 'Jet_hadronFlavour', { b: 5, c: 4, light: 0 });
    assert.deepEqual(countLabels(processed, ['b', 'c', 'light']), independent);
    assert.deepEqual(independent, published);
    assert.equal(processed.numEntries, 100);
  });
}

test('nanoaod secondary vertices within the cone', async () => {
  const file = sharedData('nanoaod', 'ttH_M125_2017.root');
  const config = await configWithoutCuts('nanoaod_jets.yml');
  const processed = await process(config, file);
  const rows = await readWithJsroot(file, 'Events', ['Jet_eta', 'Jet_phi', 'Jet_btagDeepFlavB', 'SV_eta', 'SV_phi', 'SV_dxySig']);

  // For every jet: the number of SVs with ΔR < 0.4 (at most 4 kept) and the largest SV_dxySig among them.
  const expectedCount: number[] = [];
  const expectedTop: number[] = [];
  const expectedScore: number[] = [];
  for (const row of rows) {
    const jetEta = row.Jet_eta as number[];
    const jetPhi = row.Jet_phi as number[];
    const svEta = row.SV_eta as number[];
    const svPhi = row.SV_phi as number[];
    const svSig = row.SV_dxySig as number[];
    jetEta.forEach((eta, j) => {
      let count = 0;
      let top = -Infinity;
      svEta.forEach((e, k) => {
        const dPhi = Math.atan2(Math.sin(svPhi[k] - jetPhi[j]), Math.cos(svPhi[k] - jetPhi[j]));
        if ((e - eta) ** 2 + dPhi ** 2 < 0.16) {
          count += 1;
          top = Math.max(top, svSig[k]);
        }
      });
      expectedCount.push(Math.min(count, 4));
      expectedTop.push(top);
      expectedScore.push((row.Jet_btagDeepFlavB as number[])[j]);
    });
  }

  const group = config.candidates[0];
  const width = group.maxCandidates * group.features.length;
  const sigIndex = group.features.indexOf('SV_dxySig');
  const ptIndex = group.features.indexOf('SV_pt');
  assert.equal(processed.numJets, expectedCount.length);
  let matchedJets = 0;
  for (let j = 0; j < processed.numJets; j++) {
    const block = processed.groups.sv.subarray(j * width, (j + 1) * width);
    let count = 0;
    for (let c = 0; c < group.maxCandidates; c++) if (block[c * group.features.length + ptIndex] !== 0) count += 1;
    assert.equal(count, expectedCount[j], `SV count of jet ${j}`);
    if (count > 0) {
      matchedJets += 1;
      assert.equal(block[sigIndex], Math.fround(expectedTop[j]), `leading SV_dxySig of jet ${j}`);
    }
    assert.equal(processed.spectators?.[j], Math.fround(expectedScore[j]), `Jet_btagDeepFlavB of jet ${j}`);
  }
  assert.ok(matchedJets > 100, `only ${matchedJets} jets have a secondary vertex`);
});

test('nanoaod chunked reading gives the same jets', async () => {
  const file = sharedData('nanoaod', 'ttH_M125_2017.root');
  const config = await configWithoutCuts('nanoaod_jets.yml');
  const whole = await process(config, file);
  const chunked = await process(config, file, 7);
  assert.deepEqual(chunked.label, whole.label);
  assert.deepEqual(chunked.groups.sv, whole.groups.sv);
  assert.deepEqual(chunked.global, whole.global);
  assert.deepEqual(chunked.entries, whole.entries);
});

test('pfnano class counts and candidates', async () => {
  const file = sharedData('pfnano', 'pfnano_106X_2017_mc.root');
  const config = await configWithoutCuts('pfnano_jets.yml');
  const processed = await process(config, file);
  const independent = await countTruthWithJsroot(file, 'Events', 'Jet_hadronFlavour', { b: 5, c: 4, light: 0 });
  assert.deepEqual(countLabels(processed, ['b', 'c', 'light']), independent);
  assert.deepEqual(independent, { b: 11, c: 43, light: 830 });

  // The leading candidate of each jet is the JetPFCands entry of highest pT with that jet index.
  const rows = await readWithJsroot(file, 'Events', ['nJet', 'JetPFCands_jetIdx', 'JetPFCands_pt']);
  const group = config.candidates[0];
  const width = group.maxCandidates * group.features.length;
  let jet = 0;
  for (const row of rows) {
    const jetIdx = row.JetPFCands_jetIdx as number[];
    const pt = row.JetPFCands_pt as number[];
    for (let j = 0; j < (row.nJet as number); j++, jet++) {
      const own = pt.filter((_, k) => jetIdx[k] === j);
      const leading = own.length === 0 ? 0 : Math.max(...own);
      assert.equal(processed.groups.pf[jet * width], Math.fround(leading), `leading candidate pT of jet ${jet}`);
    }
  }
  assert.equal(jet, processed.numJets);
});

test('pfnano candidates through pFCandsIdx', async () => {
  const file = sharedData('pfnano', 'coffea_pfnano.root');
  const config = await configWithoutCuts('pfnano_jets.yml');
  config.candidates = [
    {
      name: 'pf',
      link: { jetIndex: 'JetPFCands_jetIdx', candidateIndex: 'JetPFCands_pFCandsIdx' },
      maxCandidates: 50,
      padValue: -1,
      features: ['PFCands_pt', 'JetPFCands_btagSip3dSig'],
    },
  ];
  config.spectators = undefined;
  config.globalFeatures = ['Jet_pt'];
  const processed = await process(config, file);
  assert.equal(processed.numJets, 64);

  const rows = await readWithJsroot(file, 'Events', ['nJet', 'JetPFCands_jetIdx', 'JetPFCands_pFCandsIdx', 'PFCands_pt']);
  let jet = 0;
  for (const row of rows) {
    const jetIdx = row.JetPFCands_jetIdx as number[];
    const candIdx = row.JetPFCands_pFCandsIdx as number[];
    const pfPt = row.PFCands_pt as number[];
    for (let j = 0; j < (row.nJet as number); j++, jet++) {
      const expected = candIdx.filter((_, k) => jetIdx[k] === j).map((i) => Math.fround(pfPt[i])).slice(0, 50);
      const block = processed.groups.pf.subarray(jet * 100, (jet + 1) * 100);
      const found: number[] = [];
      for (let c = 0; c < 50 && block[c * 2] !== -1; c++) found.push(block[c * 2]);
      assert.deepEqual(found, expected, `PFCands_pt of jet ${jet}`);
    }
  }
});

test('physlite class counts with tau', async () => {
  const file = sharedData('atlas', 'physlite_dl1r.root');
  const config = await configWithoutCuts('physlite_jets.yml');
  const processed = await process(config, file);
  const branch = 'AnalysisJetsAuxDyn.HadronConeExclTruthLabelID';
  const independent = await countTruthWithJsroot(file, 'CollectionTree', branch, { b: 5, c: 4, light: 0, tau: 15 });
  assert.deepEqual(countLabels(processed, ['b', 'c', 'light', 'tau']), independent);
  assert.equal(Object.values(independent).reduce((a, b) => a + b, 0), 1005);
  assert.equal(processed.spectators?.length, processed.numJets * 3);
});

test('branch of another collection is rejected', async () => {
  const config = await configWithoutCuts('nanoaod_jets.yml');
  config.globalFeatures = ['Jet_pt', 'SV_pt'];
  await assert.rejects(process(config, sharedData('nanoaod', 'ttH_M125_2017.root')), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.branch, 'SV_pt');
    return true;
  });
});

test('selection and derived features', async () => {
  const file = sharedData('nanoaod', 'ttH_M125_2017.root');
  const config = await configWithoutCuts('nanoaod_jets.yml');
  config.selection = 'Jet_pt > 30 && abs(Jet_eta) < 2.4 and Jet_jetId >= 2';
  config.derivedFeatures = { pt_over_mass: 'Jet_pt / Jet_mass' };
  config.globalFeatures = ['pt_over_mass', 'Jet_pt'];
  const processed = await process(config, file);

  const rows = await readWithJsroot(file, 'Events', ['Jet_pt', 'Jet_eta', 'Jet_mass', 'Jet_jetId']);
  const expected: number[] = [];
  let failed = 0;
  for (const row of rows) {
    const pt = row.Jet_pt as number[];
    const eta = row.Jet_eta as number[];
    const mass = row.Jet_mass as number[];
    const jetId = row.Jet_jetId as number[];
    pt.forEach((value, j) => {
      if (value > 30 && Math.abs(eta[j]) < 2.4 && jetId[j] >= 2) expected.push(Math.fround(value / mass[j]));
      else failed += 1;
    });
  }
  assert.equal(processed.numJets, expected.length);
  assert.equal(processed.dropped.selection, failed);
  for (let j = 0; j < processed.numJets; j++) assert.equal(processed.global[j * 2], expected[j], `pt_over_mass of jet ${j}`);
});

test('collision data without labels', async () => {
  const config = await configWithoutCuts('nanoaod_jets.yml');
  const file = sharedData('nanoaod', 'EGamma_2022E_v13.root');
  const processed = await resolveProcessor(config).processFile(config, file, { requireLabels: false });
  assert.ok(!resolveProcessor(config).requiredBranches(config, false).includes('Jet_hadronFlavour'));
  assert.equal(processed.numJets, 325);
  assert.ok(processed.label.every((label) => label === -1));
});
