/**
 * k-nearest-neighbour search among the candidates of each jet, and the gather of neighbour
 * features, for EdgeConv (ParticleNet).
 *
 * The search runs `tf.topk`, which has no gradient, and reads the indices back into typed
 * arrays: the neighbour tensors are then built from plain arrays, so they carry no gradient,
 * which is right because the choice of neighbours is piecewise constant in the coordinates.
 * The gather is `tf.gatherND` with a custom gradient, `tf.scatterND`, which sums duplicate
 * indices. On the wasm backend of tfjs 4.22 the built-in gradient of `tf.gather` needs the
 * UnsortedSegmentSum kernel, which wasm does not have. Both `tf.gather` and a batched one-hot
 * matrix product are also several times slower there than `gatherND`: about 240 ms against
 * 50 ms for 51,200 rows of 64 features, measured on the 2-core development machine.
 */

import * as tf from '@tensorflow/tfjs-core';

/** Neighbours of every candidate, as rows of the flattened [jets · candidates, features] array. */
export interface NeighbourSelection {
  /**
   * Row index j_global = jet · candidates + j of each neighbour, int32 [jets · candidates · k, 1],
   * ordered by jet, candidate and then rank (nearest first). An invalid neighbour points to the
   * candidate itself.
   */
  rows: tf.Tensor;
  /**
   * 1 for a valid neighbour, 0 for an invalid one, float32 [jets, candidates, k]. A neighbour
   * is invalid when it is a padded slot or the candidate itself, which happens only when a jet
   * has fewer than k + 1 real candidates.
   */
  valid: tf.Tensor;
  k: number;
}

export interface KnnOptions {
  /**
   * Index of a coordinate that is an azimuthal angle in radians: its differences are wrapped
   * into [−π, π] so that candidates on both sides of φ = ±π are close. Undefined wraps none.
   */
  angleAxis?: number;
}

/**
 * Compute squared Euclidean distances between the candidates of each jet, from coordinates
 * [jets, candidates, dims]. Returns [jets, candidates, candidates].
 */
export function pairwiseSquaredDistances(coordinates: tf.Tensor, options: KnnOptions = {}): tf.Tensor {
  return tf.tidy(() => {
    if (options.angleAxis === undefined) {
      // |a|² + |b|² − 2a·b needs no [jets, candidates, candidates, dims] intermediate.
      const squares = tf.sum(tf.square(coordinates), -1);
      const products = tf.matMul(coordinates, coordinates, false, true);
      const sum = tf.add(tf.expandDims(squares, 2), tf.expandDims(squares, 1));
      return tf.maximum(tf.sub(sum, tf.mul(products, 2)), 0);
    }
    const dims = coordinates.shape[2] ?? 0;
    let differences = tf.sub(tf.expandDims(coordinates, 2), tf.expandDims(coordinates, 1));
    const twoPi = 2 * Math.PI;
    const wrapped = tf.sub(differences, tf.mul(tf.round(tf.div(differences, twoPi)), twoPi));
    const isAngle = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d([options.angleAxis], 'int32'), dims), 'float32'), [1, 1, 1, dims]);
    differences = tf.add(differences, tf.mul(isAngle, tf.sub(wrapped, differences)));
    return tf.sum(tf.square(differences), -1);
  });
}

/**
 * Find the `k` nearest real neighbours of every candidate, excluding the candidate itself.
 * Padded candidates (mask 0) are never valid neighbours. Ties are broken by `tf.topk`, which
 * keeps the lower index first. `k` must be at least 1 and below the number of slots.
 * This reads values back from the backend, so it waits for pending work on asynchronous backends.
 *
 * @param coordinates [jets, candidates, dims]
 * @param mask float32 [jets, candidates], 1 for real candidates
 */
export function findNeighbours(coordinates: tf.Tensor, mask: tf.Tensor, k: number, options: KnnOptions = {}): NeighbourSelection {
  const [numJets, numCandidates] = coordinates.shape;
  if (coordinates.rank !== 3 || numJets === undefined || numCandidates === undefined) {
    throw new Error(`findNeighbours needs coordinates [jets, candidates, dims]; got shape [${coordinates.shape.join(', ')}]`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= numCandidates) {
    throw new Error(`findNeighbours needs 1 <= k < ${numCandidates} candidates; got k = ${k}`);
  }
  const neighbours = tf.tidy(() => {
    const distances = pairwiseSquaredDistances(coordinates, options);
    // Candidate j may be a neighbour of i when j is real and j ≠ i.
    const notSelf = tf.reshape(tf.sub(1, tf.eye(numCandidates)), [1, numCandidates, numCandidates]);
    const allowed = tf.mul(tf.expandDims(mask, 1), notSelf);
    const isAllowed = tf.cast(tf.mul(allowed, tf.onesLike(distances)), 'bool');
    const score = tf.where(isAllowed, tf.neg(distances), tf.fill(distances.shape, -Infinity));
    return tf.topk(score, k).indices;
  });
  const local = neighbours.dataSync<'int32'>();
  neighbours.dispose();
  const maskValues = mask.dataSync<'float32'>();

  const rows = new Int32Array(local.length);
  const valid = new Float32Array(local.length);
  for (let r = 0; r < local.length; r++) {
    const point = Math.floor(r / k); // jet · candidates + i
    const jetStart = point - (point % numCandidates);
    const neighbour = jetStart + local[r];
    const isValid = neighbour !== point && maskValues[neighbour] !== 0;
    rows[r] = isValid ? neighbour : point;
    valid[r] = isValid ? 1 : 0;
  }
  return {
    rows: tf.tensor2d(rows, [local.length, 1], 'int32'),
    valid: tf.tensor3d(valid, [numJets, numCandidates, k]),
    k,
  };
}

/**
 * Gather the features of every candidate's neighbours: x [jets, candidates, features] →
 * [jets, candidates, k, features]. An invalid neighbour gives the candidate's own features,
 * which the caller weights by `selection.valid`. Gradients flow to `x`.
 */
export function gatherNeighbours(selection: NeighbourSelection, x: tf.Tensor): tf.Tensor {
  const [numJets, numCandidates, numFeatures] = x.shape;
  if (x.rank !== 3 || numJets === undefined || numCandidates === undefined || numFeatures === undefined) {
    throw new Error(`gatherNeighbours needs features [jets, candidates, features]; got shape [${x.shape.join(', ')}]`);
  }
  const gather = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args;
    if (!(input instanceof tf.Tensor) || typeof save !== 'function') throw new Error('gatherNeighbours: customGrad passed no tensor');
    // Saved tensors outlive the forward pass's tf.tidy scope until the backward pass.
    save([selection.rows]);
    const flat = tf.reshape(input, [numJets * numCandidates, numFeatures]);
    const value = tf.reshape(tf.gatherND(flat, selection.rows), [numJets, numCandidates, selection.k, numFeatures]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const rowsOfDy = tf.reshape(dy, [-1, numFeatures]);
      return tf.reshape(tf.scatterND(saved[0], rowsOfDy, [numJets * numCandidates, numFeatures]), input.shape);
    };
    return { value, gradFunc };
  });
  return gather(x);
}
