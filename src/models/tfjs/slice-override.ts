/**
 * Deliberate overrides of the wasm `Slice`, `SplitV` and `Unpack` kernels (tfjs-backend-wasm
 * 4.22). The originals copy the whole input out of the wasm heap (`readSync`) before they copy
 * the part they return. Splitting a [jets, 4·units] LSTM pre-activation into its four gates
 * thus copied it four times, and unstacking T time steps copied the sequence T times. The
 * replacements copy only the selected elements, from a view of the heap. String tensors still
 * go to the original kernels.
 */

import { getKernel, registerKernel, Slice, slice_util, SplitV, unregisterKernel, Unpack, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The members of the wasm backend that the replacements use. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function isHeapBackend(backend: object): backend is HeapBackend {
  return 'makeOutput' in backend && 'typedArrayFromHeap' in backend && typeof backend.typedArrayFromHeap === 'function';
}

const kernelNames = [Slice, SplitV, Unpack] as const;

/** Original kernel configurations, keyed by backend name, while overridden. */
const originalKernels = new Map<string, Map<string, KernelConfig>>();

/**
 * Copy the block that starts at `begin` with extent `size` of `x` into a new tensor of shape
 * `outShape`, which has the same number of elements as `size`.
 */
function copyBlock(backend: HeapBackend, x: TensorInfo, begin: number[], size: number[], outShape: number[]): TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput, which may grow (and so replace) the heap buffer.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = util.computeStrides(x.shape);
  const total = util.sizeFromShape(size);
  if (total === 0) return out;
  if (rank === 0) {
    target[0] = source[0];
    return out;
  }
  // Runs of the last axis are contiguous; walk the other axes with a counter.
  const run = size[rank - 1];
  const counter = new Array<number>(rank - 1).fill(0);
  for (let written = 0; written < total; written += run) {
    let offset = begin[rank - 1];
    for (let axis = 0; axis < rank - 1; axis++) offset += (begin[axis] + counter[axis]) * strides[axis];
    target.set(source.subarray(offset, offset + run), written);
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis] += 1;
      if (counter[axis] < size[axis]) break;
      counter[axis] = 0;
    }
  }
  return out;
}

function sliceKernel(original: KernelConfig): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    if (x === undefined || x.dtype === 'string' || !isHeapBackend(backend)) return original.kernelFunc({ inputs, backend, attrs });
    const a = attrs as NamedAttrMap & { begin: number | number[]; size: number | number[] };
    const [begin, size] = slice_util.parseSliceParams(x, a.begin, a.size);
    return copyBlock(backend, x, begin, size, size);
  };
}

function splitKernel(original: KernelConfig): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    if (x === undefined || x.dtype === 'string' || !isHeapBackend(backend)) return original.kernelFunc({ inputs, backend, attrs });
    const a = attrs as NamedAttrMap & { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = util.parseAxisParam(a.axis, x.shape)[0];
    const sizes = splitSizes(x.shape[axis], a.numOrSizeSplits);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((extent) => {
      const size = [...x.shape];
      size[axis] = extent;
      const piece = copyBlock(backend, x, [...begin], size, size);
      begin[axis] += extent;
      return piece;
    });
  };
}

/** Sizes of the pieces of an axis of `length` for tf.split's `numOrSizeSplits` (a -1 takes the rest). */
function splitSizes(length: number, numOrSizeSplits: number | number[]): number[] {
  if (typeof numOrSizeSplits === 'number') return new Array<number>(numOrSizeSplits).fill(length / numOrSizeSplits);
  const known = numOrSizeSplits.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
  return numOrSizeSplits.map((s) => (s === -1 ? length - known : s));
}

function unpackKernel(original: KernelConfig): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.value;
    if (x === undefined || x.dtype === 'string' || !isHeapBackend(backend)) return original.kernelFunc({ inputs, backend, attrs });
    const a = attrs as NamedAttrMap & { axis: number };
    const axis = a.axis < 0 ? a.axis + x.shape.length : a.axis;
    const size = [...x.shape];
    size[axis] = 1;
    const outShape = x.shape.filter((_, k) => k !== axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    const pieces: TensorInfo[] = [];
    for (let k = 0; k < x.shape[axis]; k++) {
      begin[axis] = k;
      pieces.push(copyBlock(backend, x, [...begin], size, outShape));
    }
    return pieces;
  };
}

const replacements: Record<(typeof kernelNames)[number], (original: KernelConfig) => KernelFunc> = {
  [Slice]: sliceKernel,
  [SplitV]: splitKernel,
  [Unpack]: unpackKernel,
};

/** Check whether the copying-only-the-part kernels are installed for `backendName`. */
export function isSliceOverrideInstalled(backendName = 'wasm'): boolean {
  return originalKernels.has(backendName);
}

/**
 * Replace `Slice`, `SplitV` and `Unpack` of `backendName` by kernels that copy only the
 * selected elements. Calling it again does nothing. Throws when the backend lacks one of them
 * (its package was not imported).
 */
export function installSliceOverride(backendName = 'wasm'): void {
  if (isSliceOverrideInstalled(backendName)) return;
  const originals = new Map<string, KernelConfig>();
  for (const name of kernelNames) {
    const original = getKernel(name, backendName);
    if (original === undefined) throw new Error(`the tfjs backend '${backendName}' has no ${name} kernel; import its package first`);
    originals.set(name, original);
  }
  for (const name of kernelNames) {
    const original = originals.get(name) as KernelConfig;
    // unregisterKernel first: registerKernel on an existing key prints a console warning.
    unregisterKernel(name, backendName);
    registerKernel({ ...original, kernelFunc: replacements[name](original) });
  }
  originalKernels.set(backendName, originals);
}

/** Put back the kernels that `installSliceOverride` replaced. Does nothing when none were replaced. */
export function restoreSliceKernels(backendName = 'wasm'): void {
  const originals = originalKernels.get(backendName);
  if (originals === undefined) return;
  for (const [name, original] of originals) {
    unregisterKernel(name, backendName);
    registerKernel(original);
  }
  originalKernels.delete(backendName);
}
