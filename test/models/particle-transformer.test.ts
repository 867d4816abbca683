import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { loadConfig } from '../../src/config/load.js';
import { resolveProcessor } from '../../src/dataset/construct.js';
import type { JetArrays } from '../../src/dataset/types.js';
import { ConfigError } from '../../src/errors.js';
import type { ModelInputLayout } from '../../src/models/classifier.js';
import { particleTransformerDefaults } from '../../src/models/particle-transformer-options.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { DropoutSeeds } from '../../src/models/tfjs/layers.js';
import { TfjsClassifier } from '../../src/models/tfjs/tfjs-classifier.js';
import { Random } from '../../src/random.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

registerBuiltinModels();
const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-part-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const pfFeatures = ['JetPFCands_pt', 'JetPFCands_eta', 'JetPFCands_phi', 'JetPFCands_mass', 'JetPFCands_d0', 'JetPFCands_charge'];

function pfLayout(maxCandidates = 6): ModelInputLayout {
  return { numGlobalFeatures: 3, groups: [{ name: 'pf', maxCandidates, features: pfFeatures }], classes: ['b', 'c', 'light'] };
}

/**
 * Random jets for `pfLayout`: each jet has 0 to maxCandidates real candidates (pT 1–50 GeV,
 * |η| < 2.5, any φ, mass 0–1 GeV); the remaining slots are zero padding.
 */
function pfJets(layout: ModelInputLayout, numJets: number, seed: number): { jets: JetArrays; numReal: Int32Array } {
  const random = new Random(seed);
  const group = layout.groups[0];
  const width = group.maxCandidates * group.features.length;
  const values = new Float32Array(numJets * width);
  const numReal = new Int32Array(numJets);
  const label = new Int32Array(numJets);
  const global = new Float32Array(numJets * layout.numGlobalFeatures);
  for (let jet = 0; jet < numJets; jet++) {
    label[jet] = random.integer(3);
    numReal[jet] = jet === 0 ? 0 : random.integer(group.maxCandidates + 1);
    for (let c = 0; c < numReal[jet]; c++) {
      const row = jet * width + c * group.features.length;
      values.set([1 + 49 * random.uniform(), 5 * random.uniform() - 2.5, Math.PI * (2 * random.uniform() - 1), random.uniform(), random.normal(), random.integer(3) - 1], row);
    }
    for (let f = 0; f < layout.numGlobalFeatures; f++) global[jet * layout.numGlobalFeatures + f] = random.normal() + label[jet];
  }
  const jets: JetArrays = {
    numJets,
    global,
    groups: { [group.name]: values },
    label,
    weight: new Float32Array(numJets).fill(1),
    pt: new Float32Array(numJets).fill(50),
    eta: new Float32Array(numJets),
  };
  return { jets, numReal };
}

/** Trainable weights of the network, counted from the architecture by hand. */
function expectedParameters(
  layout: ModelInputLayout,
  s: { embedDims: number[]; pairEmbedDims: number[]; numHeads: number; numParticleBlocks: number; numClassBlocks: number; feedForwardDim: number; denseLayers: number[] },
): number {
  const dense = (inputs: number, units: number): number => inputs * units + units;
  const norm = (size: number): number => 2 * size;
  const embedding = (inputs: number, sizes: number[]): number => {
    let total = norm(inputs); // masked input normalisation
    let size = inputs;
    for (const units of sizes) {
      total += norm(size) + dense(size, units);
      size = units;
    }
    return total;
  };
  const dim = s.embedDims[s.embedDims.length - 1];
  const block = norm(dim) + 4 * dense(dim, dim) + norm(dim) + norm(dim) + dense(dim, s.feedForwardDim) + norm(s.feedForwardDim) + dense(s.feedForwardDim, dim);
  let total = 0;
  for (const group of layout.groups) total += embedding(group.features.length, s.embedDims);
  total += embedding(4, s.pairEmbedDims) + dense(s.pairEmbedDims[s.pairEmbedDims.length - 1], s.numHeads);
  total += (s.numParticleBlocks + s.numClassBlocks) * block;
  total += dim + norm(dim) + norm(layout.numGlobalFeatures); // class token, its final norm, global input norm
  let size = dim + layout.numGlobalFeatures;
  for (const units of s.denseLayers) {
    total += dense(size, units);
    size = units;
  }
  return total + dense(size, layout.classes.length);
}

test('particle transformer parameter count matches architecture', async () => {
  const layout = pfLayout();
  const classifier = await createClassifier('particle_transformer', layout);
  const defaults = { ...particleTransformerDefaults, embedDims: [...particleTransformerDefaults.embedDims], pairEmbedDims: [...particleTransformerDefaults.pairEmbedDims], denseLayers: [...particleTransformerDefaults.denseLayers] };
  assert.equal(classifier.countParameters(), expectedParameters(layout, defaults));
  classifier.dispose();

  const options = { embedDims: [16, 8], pairEmbedDims: [6], numHeads: 2, numParticleBlocks: 3, numClassBlocks: 2, feedForwardDim: 12, denseLayers: [] };
  const custom = await createClassifier('particle_transformer', layout, options);
  assert.equal(custom.countParameters(), expectedParameters(layout, options));
  custom.dispose();
});

test('particle transformer default size on pfnano layout', async () => {
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'pfnano_jets.yml'));
  const group = config.candidates[0];
  const layout: ModelInputLayout = {
    numGlobalFeatures: config.globalFeatures.length,
    groups: [{ name: group.name, maxCandidates: group.maxCandidates, features: group.features }],
    classes: ['b', 'c', 'light'],
  };
  const classifier = await createClassifier('part', layout);
  // The number quoted in docs/models.md.
  assert.equal(classifier.countParameters(), 32965);
  assert.equal(classifier.modelName, 'particle_transformer');
  classifier.dispose();
});

test('particle transformer predictions sum to one', async () => {
  const layout = pfLayout();
  const classifier = await createClassifier('particle_transformer', layout, { predictBatchSize: 7 });
  const { jets } = pfJets(layout, 20, 1);
  jets.global[4] = Number.NaN;
  jets.groups.pf[6 * 6 + 5] = Number.POSITIVE_INFINITY;
  const probabilities = await classifier.predictModel(jets);
  assert.equal(probabilities.length, 60);
  for (let row = 0; row < 20; row++) {
    const sum = probabilities[3 * row] + probabilities[3 * row + 1] + probabilities[3 * row + 2];
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${row} sums to ${sum}`);
  }
  assert.ok(probabilities.every((p) => Number.isFinite(p) && p >= 0));
  classifier.dispose();
});

/** Logits for all jets in one forward pass; training mode without dropout uses batch statistics. */
function logits(classifier: TfjsClassifier, jets: JetArrays, training: boolean): Float32Array {
  const indices = Array.from({ length: jets.numJets }, (_, i) => i);
  return tf.tidy(() => classifier.forward(jets, indices, { training, dropoutSeeds: new DropoutSeeds(1) }).dataSync<'float32'>().slice());
}

test('padded candidates change nothing', async () => {
  const layout = pfLayout();
  const classifier = await createClassifier('particle_transformer', layout, { dropout: 0, seed: 5 });
  assert.ok(classifier instanceof TfjsClassifier);
  const { jets, numReal } = pfJets(layout, 16, 2);
  const changed: JetArrays = { ...jets, groups: { pf: jets.groups.pf.slice() } };
  const random = new Random(3);
  let numChanged = 0;
  for (let jet = 0; jet < jets.numJets; jet++) {
    for (let c = numReal[jet]; c < 6; c++) {
      // Every feature but pT (which must stay 0 for a padded slot) gets a large arbitrary value.
      for (let f = 1; f < 6; f++) changed.groups.pf[(jet * 6 + c) * 6 + f] = 100 * random.normal();
      numChanged += 1;
    }
  }
  assert.ok(numChanged > 10, `only ${numChanged} padded slots in the sample`);

  for (const training of [false, true]) {
    // Training mode updates the moving averages, so both passes start from the saved weights.
    await classifier.save(path.join(scratch, 'padding'));
    const reference = logits(classifier, jets, training);
    await classifier.restore(path.join(scratch, 'padding'));
    const other = logits(classifier, changed, training);
    await classifier.restore(path.join(scratch, 'padding'));
    for (let i = 0; i < reference.length; i++) {
      assert.ok(Math.abs(reference[i] - other[i]) < 1e-5, `training=${training}, logit ${i}: ${reference[i]} vs ${other[i]}`);
    }
  }

  // A control: changing a real candidate's features does change the output.
  const realChanged: JetArrays = { ...jets, groups: { pf: jets.groups.pf.slice() } };
  const realJet = numReal.findIndex((n) => n > 1);
  realChanged.groups.pf[realJet * 36 + 4] += 5;
  const reference = logits(classifier, jets, false);
  const other = logits(classifier, realChanged, false);
  assert.ok(Math.abs(reference[realJet * 3] - other[realJet * 3]) > 1e-6, 'a real candidate must influence its jet');
  classifier.dispose();
});

test('particle transformer rejects bad options', async () => {
  const layout = pfLayout();
  const missing = { fourVector: { pt: 'JetPFCands_pt', eta: 'JetPFCands_eta', phi: 'JetPFCands_phi', energy: 'JetPFCands_energy' } };
  await assert.rejects(createClassifier('particle_transformer', layout, missing), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /option 'fourVector.energy'.*'JetPFCands_energy'.*group 'pf'/);
    return true;
  });
  const nanoxLike: ModelInputLayout = { ...layout, groups: [{ name: 'cpf', maxCandidates: 3, features: ['cpf_ptrel', 'cpf_deltaR'] }] };
  await assert.rejects(createClassifier('particle_transformer', nanoxLike), /option 'fourVector.pt'.*'JetPFCands_pt'.*group 'cpf'/);
  await assert.rejects(createClassifier('particle_transformer', layout, { numHeads: 3 }), /'numHeads'.*does not divide the token dimension 32/);
  await assert.rejects(createClassifier('particle_transformer', layout, { groups: ['tracks'] }), /invalid option 'groups'/);
  await assert.rejects(createClassifier('particle_transformer', layout, { fourVector: { pt: 'JetPFCands_pt', eta: 'JetPFCands_eta', phi: 'JetPFCands_phi' } }), /invalid option 'fourVector'/);
  await assert.rejects(createClassifier('particle_transformer', layout, { fourVector: { sv: { pt: 'a', eta: 'b', phi: 'c', mass: 'd' } } }), /no entry for the group 'pf'/);
  await assert.rejects(createClassifier('particle_transformer', layout, { numHead: 4 }), /unknown option 'numHead'.*Did you mean 'numHeads'/);
});

test('particle transformer concatenates two groups', async () => {
  const layout: ModelInputLayout = {
    numGlobalFeatures: 3,
    groups: [
      { name: 'pf', maxCandidates: 6, features: pfFeatures },
      { name: 'lep', maxCandidates: 2, features: ['lep_pt', 'lep_eta', 'lep_phi', 'lep_energy', 'lep_iso'] },
    ],
    classes: ['b', 'c', 'light'],
  };
  const fourVector = {
    pf: { pt: 'JetPFCands_pt', eta: 'JetPFCands_eta', phi: 'JetPFCands_phi', mass: 'JetPFCands_mass' },
    lep: { pt: 'lep_pt', eta: 'lep_eta', phi: 'lep_phi', energy: 'lep_energy' },
  };
  const classifier = await createClassifier('particle_transformer', layout, { fourVector, dropout: 0 });
  assert.ok(classifier instanceof TfjsClassifier);
  const { jets } = pfJets(pfLayout(), 4, 6);
  const leptons = new Float32Array(4 * 2 * 5);
  leptons.set([20, 0.3, 0.2, 25, 0.1], 0); // jet 0: one lepton (jet 0 has no pf candidates)
  leptons.set([10, -1, 2, 16, 0.5], 2 * 5); // jet 1: one lepton
  jets.groups.lep = leptons;
  const withLepton = logits(classifier, jets, false);
  leptons[2 * 5 + 4] = 3; // a different isolation of jet 1's lepton
  const changed = logits(classifier, jets, false);
  assert.ok(withLepton.every((v) => Number.isFinite(v)));
  assert.ok(Math.abs(withLepton[3] - changed[3]) > 1e-6, 'the second group reaches the output');
  assert.deepEqual(Array.from(changed.subarray(6)), Array.from(withLepton.subarray(6)), 'other jets do not change');
  classifier.dispose();
});

/** Gradients of the summed squared logits for every trainable weight, training mode. */
async function gradientsOnBackend(backend: 'wasm' | 'cpu'): Promise<Map<string, Float32Array>> {
  await initTfjsBackend(backend);
  const layout = pfLayout(4);
  const classifier = await createClassifier('particle_transformer', layout, { backend, seed: 3, dropout: 0 });
  assert.ok(classifier instanceof TfjsClassifier);
  const { jets } = pfJets(layout, 6, 4);
  const parameters = classifier.optimizedParameters();
  const result = new Map<string, Float32Array>();
  tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(classifier.forward(jets, [0, 1, 2, 3, 4, 5], { training: true }))),
      parameters.map((p) => p.variable),
    );
    for (const p of parameters) result.set(p.name, grads[p.variable.name].dataSync<'float32'>().slice());
  });
  classifier.dispose();
  return result;
}

test('particle transformer gradients on wasm match cpu', async () => {
  const cpu = await gradientsOnBackend('cpu');
  const wasm = await gradientsOnBackend('wasm');
  assert.deepEqual([...wasm.keys()], [...cpu.keys()]);
  for (const [name, expected] of cpu) {
    const actual = wasm.get(name) ?? new Float32Array();
    let norm = 0;
    for (let k = 0; k < expected.length; k++) {
      const tolerance = 1e-3 * Math.max(1, Math.abs(expected[k]));
      assert.ok(Math.abs(actual[k] - expected[k]) <= tolerance, `${name}[${k}]: ${actual[k]} vs ${expected[k]}`);
      norm += expected[k] * expected[k];
    }
    assert.ok(Number.isFinite(norm), `${name} has a non-finite gradient`);
    assert.ok(norm > 0, `${name} receives no gradient`);
  }
});

/** ROC AUC by counting ordered signal–background pairs (Mann–Whitney), ties counting ½. */
function pairCountAuc(scores: number[], isSignal: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!isSignal[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (isSignal[j]) continue;
      pairs += 1;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

test('particle transformer learns on pfnano jets', async () => {
  await initTfjsBackend('wasm');
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'pfnano_jets.yml'));
  const processed = await resolveProcessor(config).processFile(config, sharedData('pfnano', 'pfnano_106X_2017_mc.root'), {});
  const group = config.candidates[0];
  const layout: ModelInputLayout = {
    numGlobalFeatures: config.globalFeatures.length,
    groups: [{ name: group.name, maxCandidates: group.maxCandidates, features: group.features }],
    classes: ['b', 'c', 'light'],
  };
  const numGlobal = layout.numGlobalFeatures;
  const width = group.maxCandidates * group.features.length;
  // Jets alternate between training and test set; light jets get a tenth of the weight,
  // because the file contains about 10 light jets per b or c jet. The test set is the one with
  // more b and c jets (33 of 307), which makes its AUC the more precise.
  const subset = (parity: number): JetArrays => {
    const indices = Array.from({ length: processed.numJets }, (_, i) => i).filter((i) => i % 2 === parity);
    const jets: JetArrays = {
      numJets: indices.length,
      global: new Float32Array(indices.length * numGlobal),
      groups: { [group.name]: new Float32Array(indices.length * width) },
      label: new Int32Array(indices.length),
      weight: new Float32Array(indices.length),
      pt: new Float32Array(indices.length),
      eta: new Float32Array(indices.length),
    };
    indices.forEach((source, k) => {
      jets.global.set(processed.global.subarray(source * numGlobal, (source + 1) * numGlobal), k * numGlobal);
      jets.groups[group.name].set(processed.groups[group.name].subarray(source * width, (source + 1) * width), k * width);
      jets.label[k] = processed.label[source];
      jets.weight[k] = processed.label[source] === 2 ? 0.1 : 1;
    });
    return jets;
  };
  const train = subset(1);
  const testJets = subset(0);
  const heavy = (label: number): boolean => label === 0 || label === 1;
  const numHeavy = Array.from(testJets.label).filter(heavy).length;
  assert.ok(numHeavy >= 30, `${numHeavy} b and c jets in the test set`);

  const classifier = await createClassifier('particle_transformer', layout, { seed: 2 });
  const outputDir = path.join(scratch, 'pfnano');
  const started = performance.now();
  const summary = await classifier.trainModel({
    train,
    validation: testJets,
    epochs: 6,
    batchSize: 128,
    learningRate: 3e-3,
    weightDecay: 0.01,
    seed: 1,
    outputDir,
    sampling: 'weighted_loss',
  });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(summary.history.length, 6);
  // The model after the last epoch: picking the epoch by the test set's loss would favour the test set.
  const heavyScore = (jets: JetArrays, probabilities: Float32Array): number[] =>
    Array.from({ length: jets.numJets }, (_, i) => probabilities[3 * i] + probabilities[3 * i + 1]);
  const testAuc = pairCountAuc(heavyScore(testJets, await classifier.predictModel(testJets)), Array.from(testJets.label, heavy));
  const trainAuc = pairCountAuc(heavyScore(train, await classifier.predictModel(train)), Array.from(train.label, heavy));
  const context = `after ${seconds.toFixed(1)} s of training (train AUC ${trainAuc.toFixed(3)}, test AUC ${testAuc.toFixed(3)})`;
  // With 33 b and c jets the AUC's standard error is about 0.05 (Hanley–McNeil estimate), so 0.6 is two of them above chance.
  assert.ok(testAuc > 0.6, `b+c vs light test AUC too low ${context}`);
  assert.ok(trainAuc > 0.65, `b+c vs light train AUC too low ${context}`);
  classifier.dispose();
});
