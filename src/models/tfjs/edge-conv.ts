/**
 * The EdgeConv block of ParticleNet (Qu and Gouskos, arXiv:1902.08570, after DGCNN by Wang et
 * al., arXiv:1801.07829). For every candidate i and each of its k nearest neighbours j, the
 * edge feature (x_i, x_j − x_i) passes through dense layers, each followed by batch
 * normalisation and a ReLU. The results are averaged over the valid neighbours and added to
 * a shortcut projection of x_i, and a final ReLU follows.
 */

import * as tf from '@tensorflow/tfjs-core';
import { gatherNeighbours } from './knn.js';
import type { NeighbourSelection } from './knn.js';
import { BatchNorm, Dense } from './layers.js';
import type { ForwardMode } from './layers.js';
import type { ParameterStore } from './parameters.js';
import { RowBatchNorm } from './row-batch-norm.js';

export class EdgeConv {
  private readonly edgeLayers: Dense[] = [];
  private readonly edgeNorms: RowBatchNorm[] = [];
  /** Projection of x_i to the output size; undefined when the sizes match and x_i is added as it is. */
  private readonly shortcut: { dense: Dense; norm: BatchNorm } | undefined;

  /**
   * @param inputSize features per candidate, C
   * @param channels units of the edge layers; the first layer reads 2C edge features
   */
  constructor(store: ParameterStore, name: string, readonly inputSize: number, readonly channels: number[]) {
    let size = 2 * inputSize;
    channels.forEach((units, l) => {
      this.edgeLayers.push(new Dense(store, `${name}/edge_dense_${l}`, size, units, 'linear'));
      this.edgeNorms.push(new RowBatchNorm(store, `${name}/edge_norm_${l}`, units));
      size = units;
    });
    this.shortcut =
      inputSize === this.outputSize
        ? undefined
        : {
            dense: new Dense(store, `${name}/shortcut_dense`, inputSize, this.outputSize, 'linear'),
            norm: new BatchNorm(store, `${name}/shortcut_norm`, this.outputSize),
          };
  }

  get outputSize(): number {
    return this.channels[this.channels.length - 1];
  }

  /**
   * Apply the block to features [jets, candidates, C] with the neighbours in `selection`;
   * returns [jets, candidates, outputSize]. Padded candidates get values too: the caller masks them.
   */
  apply(x: tf.Tensor, selection: NeighbourSelection, mode: ForwardMode): tf.Tensor {
    const [numJets, numCandidates] = x.shape;
    const jets = numJets ?? -1;
    const candidates = numCandidates ?? -1;
    const k = selection.k;

    // The first layer maps (x_i, x_j − x_i) to x_i·(W_top − W_bottom) + x_j·W_bottom + b. The
    // x_i term is computed once per candidate, and only the product x·W_bottom is gathered.
    const first = this.edgeLayers[0];
    const [top, bottom] = tf.split(first.kernel, 2, 0);
    const flat = tf.reshape(x, [-1, this.inputSize]);
    const centre = tf.add(tf.matMul(flat, tf.sub(top, bottom)), first.bias);
    const projected = tf.reshape(tf.matMul(flat, bottom), [jets, candidates, first.units]);
    const neighbours = gatherNeighbours(selection, projected);
    let h = tf.add(neighbours, tf.reshape(centre, [jets, candidates, 1, first.units]));

    // Batch normalisation over every edge, as rows [jets·candidates·k, units].
    // NOTE: in training mode the statistics include the edges of padded candidates and of
    // invalid neighbours, as in weaver-core's ParticleNet.
    h = tf.reshape(h, [-1, first.units]);
    h = tf.relu(this.edgeNorms[0].apply(h, mode));
    for (let l = 1; l < this.edgeLayers.length; l++) {
      h = tf.relu(this.edgeNorms[l].apply(this.edgeLayers[l].apply(h), mode));
    }
    h = tf.reshape(h, [jets, candidates, k, this.outputSize]);

    // Mean over the valid neighbours; a candidate without any gets 0.
    const valid = tf.expandDims(selection.valid, -1);
    const counts = tf.maximum(tf.sum(selection.valid, 2, true), 1);
    const aggregated = tf.div(tf.sum(tf.mul(h, valid), 2), counts);

    const shortcut = this.shortcut === undefined ? x : this.shortcut.norm.apply(this.shortcut.dense.apply(x), mode);
    return tf.relu(tf.add(aggregated, shortcut));
  }
}
