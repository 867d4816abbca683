import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { AdamW } from '../../src/training/adamw.js';

/** PyTorch's AdamW update for one scalar, written out in double precision. */
function referenceSteps(
  theta: number,
  gradients: number[],
  o: { lr: number; wd: number; beta1: number; beta2: number; eps: number; decay: boolean },
): number {
  let m = 0;
  let v = 0;
  gradients.forEach((g, k) => {
    const t = k + 1;
    if (o.decay) theta = theta * (1 - o.lr * o.wd);
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * g * g;
    const mHat = m / (1 - o.beta1 ** t);
    const vHat = v / (1 - o.beta2 ** t);
    theta = theta - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  });
  return theta;
}

test('adamw one step matches hand computation', async () => {
  await initTfjsBackend('wasm');
  // θ = [0.5, -2], g = [0.1, 3], lr = 0.01, λ = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8.
  // Step 1: m̂ = g and v̂ = g², so the Adam step is lr·g/(|g| + ε) = ±0.01 (up to ε):
  // θ₀ = 0.5·(1 − 0.001) − 0.01·0.1/(0.1 + 1e-8) = 0.4995 − 0.0099999990 = 0.4895000010
  // θ₁ = −2·(1 − 0.001) − 0.01·3/(3 + 1e-8) = −1.998 − 0.0099999999667 = −2.0079999999667
  const variable = tf.variable(tf.tensor1d([0.5, -2]));
  const optimizer = new AdamW([{ name: 'w', variable, decay: true }], { learningRate: 0.01, weightDecay: 0.1 });
  const gradient = tf.tensor1d([0.1, 3]);
  optimizer.applyGradients([gradient]);
  const [w0, w1] = variable.dataSync();
  assert.ok(Math.abs(w0 - 0.489500001) < 1e-6, `w0 = ${w0}`);
  assert.ok(Math.abs(w1 - -2.0079999999667) < 1e-6, `w1 = ${w1}`);
  assert.equal(optimizer.step, 1);
  optimizer.dispose();
  variable.dispose();
  gradient.dispose();
});

test('adamw three steps match reference', async () => {
  await initTfjsBackend('wasm');
  const options = { lr: 0.05, wd: 0.2, beta1: 0.8, beta2: 0.99, eps: 1e-6 };
  const gradients = [0.3, -1.2, 0.7];
  const decayed = tf.variable(tf.tensor1d([1.5]));
  const plain = tf.variable(tf.tensor1d([1.5]));
  const optimizer = new AdamW(
    [
      { name: 'kernel', variable: decayed, decay: true },
      { name: 'bias', variable: plain, decay: false },
    ],
    { learningRate: options.lr, weightDecay: options.wd, beta1: options.beta1, beta2: options.beta2, epsilon: options.eps },
  );
  for (const g of gradients) {
    const gradient = tf.tensor1d([g]);
    optimizer.applyGradients([gradient, gradient]);
    gradient.dispose();
  }
  const expectedDecayed = referenceSteps(1.5, gradients, { ...options, decay: true });
  const expectedPlain = referenceSteps(1.5, gradients, { ...options, decay: false });
  assert.ok(Math.abs(decayed.dataSync()[0] - expectedDecayed) < 1e-5, `decayed ${decayed.dataSync()[0]} vs ${expectedDecayed}`);
  assert.ok(Math.abs(plain.dataSync()[0] - expectedPlain) < 1e-5, `plain ${plain.dataSync()[0]} vs ${expectedPlain}`);
  assert.notEqual(expectedDecayed, expectedPlain);
  optimizer.dispose();
});

test('adamw state round trip continues identically', async () => {
  await initTfjsBackend('wasm');
  const run = (restoreAfterFirst: boolean): number[] => {
    const variable = tf.variable(tf.tensor1d([1, 2]));
    let optimizer = new AdamW([{ name: 'w', variable, decay: true }], { learningRate: 0.1, weightDecay: 0.01 });
    const gradients = [tf.tensor1d([0.5, -0.5]), tf.tensor1d([0.2, 0.1])];
    optimizer.applyGradients([gradients[0]]);
    if (restoreAfterFirst) {
      const state = optimizer.getState();
      optimizer.dispose();
      optimizer = new AdamW([{ name: 'w', variable, decay: true }], { learningRate: 0.1, weightDecay: 0.01 });
      optimizer.setState(state);
    }
    optimizer.applyGradients([gradients[1]]);
    const result = Array.from(variable.dataSync());
    optimizer.dispose();
    variable.dispose();
    for (const g of gradients) g.dispose();
    return result;
  };
  assert.deepEqual(run(true), run(false));
});

test('adamw rejects wrong gradient count', async () => {
  await initTfjsBackend('wasm');
  const variable = tf.variable(tf.tensor1d([1]));
  const optimizer = new AdamW([{ name: 'w', variable, decay: false }], { learningRate: 0.1 });
  assert.throws(() => optimizer.applyGradients([]), /1 parameters/);
  optimizer.dispose();
  variable.dispose();
});
