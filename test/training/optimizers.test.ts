import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import type { Optimizer } from '../../src/training/optimizer.js';
import { createOptimizer } from '../../src/training/optimizers.js';
import type { OptimizerOptions } from '../../src/training/optimizers.js';

/** Apply `gradients` (one scalar per step) to a decayed and an undecayed scalar parameter starting at `theta`. */
function runSteps(name: 'adam' | 'sgd' | 'radam', theta: number, gradients: number[], options: OptimizerOptions): [number, number] {
  const decayed = tf.variable(tf.tensor1d([theta]));
  const plain = tf.variable(tf.tensor1d([theta]));
  const optimizer: Optimizer = createOptimizer(name, [
    { name: 'kernel', variable: decayed, decay: true },
    { name: 'bias', variable: plain, decay: false },
  ], options);
  for (const g of gradients) {
    const gradient = tf.tensor1d([g]);
    optimizer.applyGradients([gradient, gradient]);
    gradient.dispose();
  }
  const result: [number, number] = [decayed.dataSync()[0], plain.dataSync()[0]];
  assert.equal(optimizer.step, gradients.length);
  optimizer.dispose();
  decayed.dispose();
  plain.dispose();
  return result;
}

/** PyTorch 1.13's RAdam for one scalar, in double precision. */
function radamReference(theta: number, gradients: number[], o: { lr: number; wd: number; beta1: number; beta2: number; eps: number }): number {
  let m = 0;
  let v = 0;
  const rhoInfinity = 2 / (1 - o.beta2) - 1;
  gradients.forEach((g0, k) => {
    const t = k + 1;
    const g = g0 + o.wd * theta;
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * g * g;
    const mHat = m / (1 - o.beta1 ** t);
    const rho = rhoInfinity - (2 * t * o.beta2 ** t) / (1 - o.beta2 ** t);
    if (rho > 5) {
      const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
      const adaptive = Math.sqrt(1 - o.beta2 ** t) / (Math.sqrt(v) + o.eps);
      theta -= o.lr * mHat * r * adaptive;
    } else {
      theta -= o.lr * mHat;
    }
  });
  return theta;
}

test('adam one step matches hand computation', async () => {
  await initTfjsBackend('wasm');
  // θ = 0.5, g = 0.1, lr = 0.01, L2 λ = 0.1: g' = 0.1 + 0.1·0.5 = 0.15. At step 1, m̂ = g' and
  // √v̂ = |g'|, so θ = 0.5 − 0.01·0.15/(0.15 + 1e-8) = 0.4900000006667; without decay g' = 0.1
  // and θ = 0.5 − 0.01·0.1/(0.1 + 1e-8) = 0.490000001.
  const [decayed, plain] = runSteps('adam', 0.5, [0.1], { learningRate: 0.01, weightDecay: 0.1 });
  assert.ok(Math.abs(decayed - 0.4900000006667) < 1e-7, `decayed ${decayed}`);
  assert.ok(Math.abs(plain - 0.490000001) < 1e-7, `plain ${plain}`);
});

test('adam two steps match hand computation', async () => {
  await initTfjsBackend('wasm');
  // θ = 1, g = 0.5 then −0.2, lr = 0.1, β1 = 0.9, β2 = 0.999, no decay.
  // Step 1: θ = 1 − 0.1·0.5/0.5 = 0.9 (ε neglected).
  // Step 2: m = 0.045 − 0.02 = 0.025, m̂ = 0.025/0.19 = 0.13157895;
  //         v = 0.999·0.25·0.001 + 0.001·0.04 = 0.00028975, v̂ = v/0.001999 = 0.14494747, √v̂ = 0.38072;
  //         θ = 0.9 − 0.1·0.13157895/0.38072 = 0.9 − 0.0345606 = 0.8654394.
  const [, plain] = runSteps('adam', 1, [0.5, -0.2], { learningRate: 0.1 });
  assert.ok(Math.abs(plain - 0.8654394) < 2e-6, `plain ${plain}`);
});

test('sgd momentum two steps match hand computation', async () => {
  await initTfjsBackend('wasm');
  // μ = 0.9, lr = 0.1, λ = 0.1 (L2), θ = 1, g = 0.5 then −0.2.
  // Decayed: g' = 0.6, b = 0.6, θ = 0.94; g' = −0.2 + 0.094 = −0.106, b = 0.54 − 0.106 = 0.434, θ = 0.8966.
  // Plain: b = 0.5, θ = 0.95; b = 0.45 − 0.2 = 0.25, θ = 0.925.
  const [decayed, plain] = runSteps('sgd', 1, [0.5, -0.2], { learningRate: 0.1, weightDecay: 0.1, momentum: 0.9 });
  assert.ok(Math.abs(decayed - 0.8966) < 1e-6, `decayed ${decayed}`);
  assert.ok(Math.abs(plain - 0.925) < 1e-6, `plain ${plain}`);
});

test('radam two steps match hand computation', async () => {
  await initTfjsBackend('wasm');
  // β2 = 0.999 gives ρ∞ = 1999, ρ1 = 1 and ρ2 = 1.9995, both at most 5, so RAdam takes plain
  // momentum steps θ ← θ − lr·m̂: θ = 1 − 0.1·0.5 = 0.95, then m̂ = 0.025/0.19 and θ = 0.9368421053.
  const [, plain] = runSteps('radam', 1, [0.5, -0.2], { learningRate: 0.1 });
  assert.ok(Math.abs(plain - 0.9368421053) < 1e-6, `plain ${plain}`);
});

test('radam rectified steps match reference', async () => {
  await initTfjsBackend('wasm');
  // With β2 = 0.8, ρ∞ = 9 and ρt exceeds 5 from step 7 on, so both branches run.
  const o = { lr: 0.05, wd: 0.2, beta1: 0.9, beta2: 0.8, eps: 1e-8 };
  const gradients = [0.3, -1.2, 0.7, 0.1, -0.4, 0.9, 0.5, -0.3, 0.2];
  const [decayed, plain] = runSteps('radam', 1.5, gradients, { learningRate: o.lr, weightDecay: o.wd, beta1: o.beta1, beta2: o.beta2 });
  const expectedDecayed = radamReference(1.5, gradients, o);
  const expectedPlain = radamReference(1.5, gradients, { ...o, wd: 0 });
  assert.ok(Math.abs(decayed - expectedDecayed) < 1e-5, `decayed ${decayed} vs ${expectedDecayed}`);
  assert.ok(Math.abs(plain - expectedPlain) < 1e-5, `plain ${plain} vs ${expectedPlain}`);
});

test('optimizer slots round trip continues identically', async () => {
  await initTfjsBackend('wasm');
  for (const name of ['adam', 'adamw', 'sgd', 'radam'] as const) {
    const run = (restore: boolean): number[] => {
      const variable = tf.variable(tf.tensor1d([1, 2]));
      const parameters = [{ name: 'w', variable, decay: true }];
      let optimizer = createOptimizer(name, parameters, { learningRate: 0.1, weightDecay: 0.01 });
      const gradients = [tf.tensor1d([0.5, -0.5]), tf.tensor1d([0.2, 0.1])];
      optimizer.applyGradients([gradients[0]]);
      if (restore) {
        const state = optimizer.getSlots();
        optimizer.dispose();
        optimizer = createOptimizer(name, parameters, { learningRate: 0.1, weightDecay: 0.01 });
        optimizer.setSlots(state);
      }
      optimizer.applyGradients([gradients[1]]);
      const result = Array.from(variable.dataSync());
      optimizer.dispose();
      variable.dispose();
      for (const g of gradients) g.dispose();
      return result;
    };
    assert.deepEqual(run(true), run(false), name);
  }
});
