/**
 * Inference with ONNX Runtime (onnxruntime-node, CPU execution provider) on models that
 * `exportOnnxModel` wrote: jets go in as `JetArrays`, class probabilities come out, in
 * batches whose input tensors are views of the jet arrays (no copy).
 */

import { InferenceSession, Tensor, env } from 'onnxruntime-node';
import type { JetArrays } from '../dataset/types.js';
import { InputError } from '../errors.js';
import type { OnnxSignature } from './onnx-models.js';

export interface OnnxPredictorOptions {
  /** Threads of one operator; default ONNX Runtime's choice (the number of cores). */
  intraOpThreads?: number;
  /** Jets per run; default 2048. */
  batchSize?: number;
}

/** The ONNX Runtime version in use. */
export function onnxRuntimeVersion(): string {
  return env.versions.node ?? env.versions.common;
}

/** An ONNX model loaded in ONNX Runtime, with the signature that maps jet arrays to its inputs. */
export class OnnxPredictor {
  private constructor(
    private readonly session: InferenceSession,
    readonly signature: OnnxSignature,
    private readonly batchSize: number,
  ) {}

  /** Loads `modelFile`. @throws InputError when ONNX Runtime rejects the file. */
  static async load(modelFile: string, signature: OnnxSignature, options: OnnxPredictorOptions = {}): Promise<OnnxPredictor> {
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(modelFile, {
        executionProviders: ['cpu'],
        ...(options.intraOpThreads === undefined ? {} : { intraOpNumThreads: options.intraOpThreads }),
      });
    } catch (cause) {
      throw new InputError(`ONNX Runtime cannot load ${modelFile}: ${(cause as Error).message}`, { file: modelFile }, { cause });
    }
    return new OnnxPredictor(session, signature, options.batchSize ?? 2048);
  }

  /** Class probabilities for every jet, float32 [jets, classes]. */
  async predict(data: JetArrays): Promise<Float32Array> {
    const numClasses = Number(this.signature.output.dims[1]);
    const result = new Float32Array(data.numJets * numClasses);
    for (let start = 0; start < data.numJets; start += this.batchSize) {
      const stop = Math.min(start + this.batchSize, data.numJets);
      const feeds: Record<string, Tensor> = {};
      for (const input of this.signature.inputs) {
        const rowShape = input.dims.slice(1).map(Number);
        const rowSize = rowShape.reduce((a, b) => a * b, 1);
        const source = input.source.kind === 'global' ? data.global : data.groups[input.source.group];
        if (source === undefined || source.length !== data.numJets * rowSize) {
          const arrayName = input.source.kind === 'global' ? 'global features' : `candidate group '${input.source.group}'`;
          throw new InputError(`the jets' ${arrayName} do not match the ONNX input ${input.name} [N, ${rowShape.join(', ')}]`);
        }
        feeds[input.name] = new Tensor('float32', source.subarray(start * rowSize, stop * rowSize), [stop - start, ...rowShape]);
      }
      const outputs = await this.session.run(feeds);
      const output = outputs[this.signature.output.name];
      result.set(output.data as Float32Array, start * numClasses);
      output.dispose();
    }
    return result;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
