/**
 * ONNX graphs of bhive's tfjs models, built from a saved model's header and weights, with
 * the same computation as the tfjs forward pass in inference mode:
 *
 * - every input value that is NaN or ±Infinity becomes 0 (as `gatherRows` does before tfjs);
 * - batch normalisation with the moving averages, clipped to ±inputClip standard deviations;
 * - dense layers as MatMul + Add (+ Relu), on the last axis of rank-3 inputs too;
 * - DeepJet's LSTMs as ONNX LSTM nodes in reverse direction, returning the last hidden state;
 * - a softmax over classes at the end, so the outputs are probabilities.
 *
 * DeepJet follows CMSSW's input and output names: `input_0` global features [N, features],
 * `input_1` ... one per candidate group [N, candidates, features], output `ID_pred`
 * [N, classes]. The MLP reads `global_features` [N, features] and writes `probabilities`.
 * N, the batch size, is dynamic.
 */

import { readDeepJetSettings } from '../models/deepjet.js';
import type { ModelInputLayout } from '../models/classifier.js';
import { readMlpSettings } from '../models/mlp.js';
import { OptionReader } from '../models/options.js';
import type { NamedArrays } from '../models/tfjs/array-bundle.js';
import type { SavedModelHeader } from '../models/tfjs/tfjs-classifier.js';
import { UnsupportedError } from '../errors.js';
import { OnnxGraphBuilder } from './onnx-graph.js';

/** Epsilon of the tfjs BatchNorm layer (its default, which DeepJet and the MLP keep). */
const batchNormEpsilon = 1e-3;

/** Names of the graph's inputs and output, and which jet array feeds each input. */
export interface OnnxSignature {
  inputs: Array<{ name: string; source: { kind: 'global' } | { kind: 'group'; group: string }; dims: Array<number | string> }>;
  output: { name: string; dims: Array<number | string> };
}

export interface BuiltOnnxModel {
  graph: OnnxGraphBuilder;
  signature: OnnxSignature;
}

/** Builds the ONNX graph of a saved tfjs model. @throws UnsupportedError for models other than deepjet and mlp. */
export function buildOnnxModel(header: SavedModelHeader, weights: NamedArrays): BuiltOnnxModel {
  switch (header.model) {
    case 'deepjet':
      return buildDeepJetGraph(header, weights);
    case 'mlp':
      return buildMlpGraph(header, weights);
    default:
      throw new UnsupportedError(`ONNX export supports the models deepjet and mlp, not '${header.model}'`);
  }
}

/** Layer helpers that add nodes for named parameters of the saved model. */
class LayerWriter {
  private readonly zero: string;

  constructor(
    readonly graph: OnnxGraphBuilder,
    private readonly weights: NamedArrays,
  ) {
    this.zero = graph.floatConstant('zero', [], Float32Array.of(0));
  }

  /** Replaces NaN and ±Infinity by 0. */
  finite(x: string): string {
    const g = this.graph;
    const invalid = g.apply('Or', [g.apply('IsNaN', [x]), g.apply('IsInf', [x])]);
    return g.apply('Where', [invalid, this.zero, x]);
  }

  /** Batch normalisation with moving averages over the last axis, clipped to ±clip before scale and shift. */
  batchNorm(x: string, prefix: string, clip: number): string {
    const g = this.graph;
    const mean = this.weight(`${prefix}/moving_mean`);
    const variance = this.weight(`${prefix}/moving_variance`);
    const inverseStd = Float32Array.from(variance.values, (v) => 1 / Math.sqrt(Math.fround(v + batchNormEpsilon)));
    const size = mean.values.length;
    const centred = g.apply('Sub', [x, g.floatConstant(`${prefix}/moving_mean`, [size], mean.values)]);
    const scaled = g.apply('Mul', [centred, g.floatConstant(`${prefix}/inverse_std`, [size], inverseStd)]);
    const clipped = g.apply('Clip', [
      scaled,
      g.floatConstant(`${prefix}/clip_min`, [], Float32Array.of(-clip)),
      g.floatConstant(`${prefix}/clip_max`, [], Float32Array.of(clip)),
    ]);
    const gamma = g.apply('Mul', [clipped, this.constant(`${prefix}/gamma`)]);
    return g.apply('Add', [gamma, this.constant(`${prefix}/beta`)]);
  }

  /** x·W + b on the last axis, then ReLU when `relu`. */
  dense(x: string, prefix: string, relu: boolean): string {
    const g = this.graph;
    const product = g.apply('MatMul', [x, this.constant(`${prefix}/kernel`)]);
    const sum = g.apply('Add', [product, this.constant(`${prefix}/bias`)]);
    return relu ? g.apply('Relu', [sum]) : sum;
  }

  /**
   * Adds an LSTM over [N, steps, features] that reads from the last step to the first and
   * returns the final hidden state [N, units]. Keras and bhive order the gates input,
   * forget, cell, output, but ONNX orders them input, output, forget, cell, so the weights
   * are regrouped.
   */
  reverseLstm(x: string, prefix: string): string {
    const g = this.graph;
    const kernel = this.weight(`${prefix}/kernel`);
    const recurrent = this.weight(`${prefix}/recurrent_kernel`);
    const bias = this.weight(`${prefix}/bias`);
    const [inputSize, gates] = kernel.shape;
    const units = gates / 4;
    // Position of each ONNX gate (i, o, f, c) among the Keras gates (i, f, c, o).
    const kerasGate = [0, 3, 1, 2];
    const transposeGates = (values: Float32Array, rows: number): Float32Array => {
      const result = new Float32Array(gates * rows);
      for (let onnxGate = 0; onnxGate < 4; onnxGate++) {
        for (let unit = 0; unit < units; unit++) {
          const column = kerasGate[onnxGate] * units + unit;
          const row = onnxGate * units + unit;
          for (let k = 0; k < rows; k++) result[row * rows + k] = values[k * gates + column];
        }
      }
      return result;
    };
    const onnxBias = new Float32Array(2 * gates);
    for (let onnxGate = 0; onnxGate < 4; onnxGate++) {
      for (let unit = 0; unit < units; unit++) onnxBias[onnxGate * units + unit] = bias.values[kerasGate[onnxGate] * units + unit];
    }
    const W = g.floatConstant(`${prefix}/W`, [1, gates, inputSize], transposeGates(kernel.values, inputSize));
    const R = g.floatConstant(`${prefix}/R`, [1, gates, units], transposeGates(recurrent.values, units));
    const B = g.floatConstant(`${prefix}/B`, [1, 2 * gates], onnxBias);
    const timeMajor = g.apply('Transpose', [x], { perm: { kind: 'ints', value: [1, 0, 2] } });
    const [, lastHidden] = g.node(
      'LSTM',
      [timeMajor, W, R, B],
      { hidden_size: { kind: 'int', value: units }, direction: { kind: 'string', value: 'reverse' } },
      ['', `${prefix}/last_hidden`],
    );
    return g.apply('Squeeze', [lastHidden, g.int64Constant(`${prefix}/squeeze_axes`, [0])]);
  }

  private constant(name: string): string {
    const weight = this.weight(name);
    return this.graph.floatConstant(name, weight.shape, weight.values);
  }

  private weight(name: string): { shape: number[]; values: Float32Array } {
    const weight = this.weights.get(name);
    if (weight === undefined) throw new Error(`the saved model has no weight '${name}'`);
    return weight;
  }
}

function buildDeepJetGraph(header: SavedModelHeader, weights: NamedArrays): BuiltOnnxModel {
  const layout: ModelInputLayout = header.layout;
  const settings = readDeepJetSettings(layout, new OptionReader('deepjet', header.options));
  const graph = new OnnxGraphBuilder('deepjet');
  const layers = new LayerWriter(graph, weights);
  const signature: OnnxSignature = {
    inputs: [{ name: 'input_0', source: { kind: 'global' }, dims: ['N', layout.numGlobalFeatures] }],
    output: { name: 'ID_pred', dims: ['N', layout.classes.length] },
  };
  const features = [layers.batchNorm(layers.finite(graph.input('input_0', signature.inputs[0].dims)), 'global/input_norm', settings.inputClip)];
  layout.groups.forEach((group, position) => {
    const name = `input_${position + 1}`;
    const dims = ['N', group.maxCandidates, group.features.length];
    signature.inputs.push({ name, source: { kind: 'group', group: group.name }, dims });
    let x = layers.batchNorm(layers.finite(graph.input(name, dims)), `${group.name}/input_norm`, settings.inputClip);
    settings.groups[group.name].dense.forEach((_, k) => {
      x = layers.dense(x, `${group.name}/dense_${k}`, true);
    });
    features.push(layers.reverseLstm(x, `${group.name}/lstm`));
  });
  let x = graph.apply('Concat', features, { axis: { kind: 'int', value: 1 } });
  settings.denseLayers.forEach((_, k) => {
    x = layers.dense(x, `head/dense_${k}`, true);
  });
  const logits = layers.dense(x, 'head/output', false);
  graph.apply('Softmax', [logits], { axis: { kind: 'int', value: 1 } }, signature.output.name);
  graph.output(signature.output.name, signature.output.dims);
  return { graph, signature };
}

function buildMlpGraph(header: SavedModelHeader, weights: NamedArrays): BuiltOnnxModel {
  const layout: ModelInputLayout = header.layout;
  const settings = readMlpSettings(new OptionReader('mlp', header.options));
  const graph = new OnnxGraphBuilder('mlp');
  const layers = new LayerWriter(graph, weights);
  const signature: OnnxSignature = {
    inputs: [{ name: 'global_features', source: { kind: 'global' }, dims: ['N', layout.numGlobalFeatures] }],
    output: { name: 'probabilities', dims: ['N', layout.classes.length] },
  };
  let x = layers.batchNorm(layers.finite(graph.input('global_features', signature.inputs[0].dims)), 'global/input_norm', settings.inputClip);
  settings.hiddenLayers.forEach((_, k) => {
    x = layers.dense(x, `dense_${k}`, true);
  });
  const logits = layers.dense(x, 'output', false);
  graph.apply('Softmax', [logits], { axis: { kind: 'int', value: 1 } }, signature.output.name);
  graph.output(signature.output.name, signature.output.dims);
  return { graph, signature };
}
