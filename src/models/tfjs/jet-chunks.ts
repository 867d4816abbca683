/**
 * Inference in chunks of jets, for networks whose intermediate tensors are large per jet
 * (ParticleNet's edge tensors have candidates × k rows per jet). Each chunk runs in its own
 * `tf.tidy`, so only one chunk's intermediates exist at a time.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { NetworkInputs } from './inputs.js';

/**
 * Apply `forward` to consecutive chunks of at most `chunkSize` jets and concatenate the
 * results along the jet axis. `forward` must return [jets, ...] for its chunk.
 */
export function applyInJetChunks(inputs: NetworkInputs, chunkSize: number, forward: (chunk: NetworkInputs) => tf.Tensor): tf.Tensor {
  const numJets = inputs.global.shape[0] ?? 0;
  if (numJets <= chunkSize) return forward(inputs);
  const outputs: tf.Tensor[] = [];
  for (let start = 0; start < numJets; start += chunkSize) {
    const size = Math.min(chunkSize, numJets - start);
    outputs.push(
      tf.tidy(() => {
        const groups: Record<string, tf.Tensor> = {};
        for (const [name, values] of Object.entries(inputs.groups)) groups[name] = sliceJets(values, start, size);
        return forward({ global: sliceJets(inputs.global, start, size), groups });
      }),
    );
  }
  return tf.concat(outputs, 0);
}

function sliceJets(x: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = x.shape.map((_, axis) => (axis === 0 ? start : 0));
  const sizes = x.shape.map((extent, axis) => (axis === 0 ? size : extent));
  return tf.slice(x, begin, sizes);
}
