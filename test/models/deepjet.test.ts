import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { Classifier, ModelInputLayout } from '../../src/models/classifier.js';
import { ConfigError } from '../../src/errors.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { DropoutSeeds } from '../../src/models/tfjs/layers.js';
import { TfjsClassifier } from '../../src/models/tfjs/tfjs-classifier.js';
import { nanoxLayout, smallLayout, syntheticJets } from './synthetic-jets.js';

registerBuiltinModels();

/** Trainable weights of DeepJet, counted from the architecture by hand. */
function expectedDeepJetParameters(layout: ModelInputLayout, groups: Array<{ dense: number[]; lstm: number }>, head: number[]): number {
  const dense = (inputs: number, units: number): number => inputs * units + units;
  const lstm = (inputs: number, units: number): number => 4 * (inputs * units + units * units + units);
  let total = 2 * layout.numGlobalFeatures; // input batch normalisation: scale and shift
  let concatenated = layout.numGlobalFeatures;
  layout.groups.forEach((group, g) => {
    total += 2 * group.features.length;
    let size = group.features.length;
    for (const units of groups[g].dense) {
      total += dense(size, units);
      size = units;
    }
    total += lstm(size, groups[g].lstm);
    concatenated += groups[g].lstm;
  });
  let size = concatenated;
  for (const units of head) {
    total += dense(size, units);
    size = units;
  }
  return total + dense(size, layout.classes.length);
}

function rowSums(probabilities: Float32Array, numClasses: number): number[] {
  const sums: number[] = [];
  for (let r = 0; r < probabilities.length / numClasses; r++) {
    let s = 0;
    for (let k = 0; k < numClasses; k++) s += probabilities[r * numClasses + k];
    sums.push(s);
  }
  return sums;
}

test('deepjet parameter count matches architecture', async () => {
  const layout = nanoxLayout();
  const classifier = await createClassifier('deepjet', layout);
  const groups = [
    { dense: [64, 32, 32, 8], lstm: 150 },
    { dense: [32, 16, 4], lstm: 50 },
    { dense: [64, 32, 32, 8], lstm: 50 },
  ];
  assert.equal(classifier.countParameters(), expectedDeepJetParameters(layout, groups, [200, 100, 100, 100, 100, 100, 100, 100]));
  assert.equal(classifier.countParameters(), 262344);
  classifier.dispose();
});

test('deepjet predictions have shape and sum to one', async () => {
  const layout = nanoxLayout();
  const classifier = await createClassifier('deepjet', layout, { predictBatchSize: 7 });
  const jets = syntheticJets(layout, 20, 3);
  jets.global[5] = Number.NaN;
  jets.groups.cpf[17] = Number.POSITIVE_INFINITY;
  const probabilities = await classifier.predictModel(jets);
  assert.equal(probabilities.length, 20 * 6);
  for (const [row, sum] of rowSums(probabilities, 6).entries()) {
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${row} sums to ${sum}`);
  }
  assert.ok(probabilities.every((p) => Number.isFinite(p) && p >= 0), 'non-finite inputs must not reach the output');
  classifier.dispose();
});

test('deepjet option sizes change the network', async () => {
  const layout = smallLayout();
  const options = {
    denseLayers: [16],
    groups: { cpf: { dense: [8, 4], lstmUnits: 6 }, npf: { dense: [3], lstmUnits: 5 }, sv: { dense: [4], lstmUnits: 2 } },
  };
  const classifier = await createClassifier('deepjet', layout, options);
  const expected = expectedDeepJetParameters(
    layout,
    [
      { dense: [8, 4], lstm: 6 },
      { dense: [3], lstm: 5 },
      { dense: [4], lstm: 2 },
    ],
    [16],
  );
  assert.equal(classifier.countParameters(), expected);
  classifier.dispose();
});

test('deepjet rejects bad options', async () => {
  const layout = smallLayout();
  await assert.rejects(createClassifier('deepjet', layout, { dropuot: 0.1 }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /unknown option 'dropuot'.*Did you mean 'dropout'/);
    return true;
  });
  await assert.rejects(createClassifier('deepjet', layout, { dropout: 2 }), /dropout/);
  await assert.rejects(createClassifier('deepjet', layout, { groups: { tracks: { dense: [4], lstmUnits: 3 } } }), /'tracks'/);
  await assert.rejects(createClassifier('deepjet', layout, { groups: { cpf: { dense: [4] } } }), /groups.cpf/);
  const fourGroups: ModelInputLayout = { ...layout, groups: [...layout.groups, { name: 'muons', maxCandidates: 2, features: ['a'] }] };
  await assert.rejects(createClassifier('deepjet', fourGroups), /groups.muons/);
});

/** Gradients of the summed logits with respect to every trainable weight, training mode, on the active backend. */
async function gradientsOnBackend(backend: 'wasm' | 'cpu', layout: ModelInputLayout): Promise<Float32Array[]> {
  await initTfjsBackend(backend);
  const classifier = await createClassifier('deepjet', layout, { backend, seed: 3 });
  assert.ok(classifier instanceof TfjsClassifier);
  const jets = syntheticJets(layout, 6, 4);
  const indices = [0, 1, 2, 3, 4, 5];
  const variables = classifier.optimizedParameters().map((p) => p.variable);
  const values = tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(classifier.forward(jets, indices, { training: true, dropoutSeeds: new DropoutSeeds(1) }))),
      variables,
    );
    return variables.map((v) => grads[v.name].dataSync<'float32'>().slice());
  });
  classifier.dispose();
  return values;
}

test('deepjet gradients on wasm match cpu', async () => {
  const layout = smallLayout();
  const cpu = await gradientsOnBackend('cpu', layout);
  const wasm = await gradientsOnBackend('wasm', layout);
  assert.equal(wasm.length, cpu.length);
  let nonZero = 0;
  cpu.forEach((expected, i) => {
    for (let k = 0; k < expected.length; k++) {
      const tolerance = 1e-4 * Math.max(1, Math.abs(expected[k]));
      assert.ok(Math.abs(wasm[i][k] - expected[k]) <= tolerance, `parameter ${i} value ${k}: ${wasm[i][k]} vs ${expected[k]}`);
      if (expected[k] !== 0) nonZero += 1;
    }
  });
  assert.ok(nonZero > 0);
});

test('deepjet lstm weights receive gradients', async () => {
  const layout = smallLayout();
  const classifier: Classifier = await createClassifier('deepjet', layout);
  assert.ok(classifier instanceof TfjsClassifier);
  const parameters = classifier.optimizedParameters();
  const lstmKernels = parameters.filter((p) => p.name.endsWith('lstm/recurrent_kernel'));
  assert.equal(lstmKernels.length, 3);
  const jets = syntheticJets(layout, 8, 5);
  const norms = tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(classifier.forward(jets, [0, 1, 2, 3, 4, 5, 6, 7], { training: true, dropoutSeeds: new DropoutSeeds(2) }))),
      lstmKernels.map((p) => p.variable),
    );
    return lstmKernels.map((p) => tf.norm(grads[p.variable.name]).dataSync()[0]);
  });
  for (const [i, norm] of norms.entries()) assert.ok(norm > 0 && Number.isFinite(norm), `${lstmKernels[i].name}: ${norm}`);
  classifier.dispose();
});
