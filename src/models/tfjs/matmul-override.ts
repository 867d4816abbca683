/**
 * A deliberate override of two registered TensorFlow.js kernels: `BatchMatMul` and
 * `_FusedMatMul` on the wasm backend.
 *
 * In tfjs-backend-wasm 4.22 a matrix product with a transposed operand runs a naive
 * single-threaded loop, while the non-transposed product uses XNNPACK. Every backward pass
 * multiplies by transposed matrices (dW = xᵀ·dy, dx = dy·Wᵀ). Measured on a 2-core x86
 * machine with 512×512 operands: 8.6 ms without a transpose, 101 ms (b transposed) and
 * 149 ms (a transposed). The replacement kernels transpose the operand explicitly with
 * the wasm `Transpose` kernel and then call the original kernel without transpose flags,
 * which gives the same result up to float32 rounding. It also corrects the original
 * `_FusedMatMul` with a bias and a transpose flag, which returns wrong values in 4.22 (an error
 * of about 50 on 512×512 standard-normal operands).
 *
 * `installMatMulOverride` keeps the original kernel configurations, including their setup
 * functions, so `restoreMatMulKernels` can put them back (for benchmarks and tests).
 */

import {
  _FusedMatMul,
  BatchMatMul,
  getKernel,
  registerKernel,
  Transpose,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { DataId, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

const overriddenKernelNames = [BatchMatMul, _FusedMatMul] as const;

/** Original kernel configurations, keyed by `${kernelName}/${backendName}`, while overridden. */
const originalKernels = new Map<string, KernelConfig>();

/** The part of a tfjs backend that the replacement kernels use. */
interface DisposingBackend {
  disposeData(dataId: DataId): boolean;
}

function isDisposingBackend(backend: object): backend is DisposingBackend {
  return 'disposeData' in backend && typeof backend.disposeData === 'function';
}

function kernelKey(kernelName: string, backendName: string): string {
  return `${kernelName}/${backendName}`;
}

/** Check whether the transpose-free matmul kernels are installed for `backendName`. */
export function isMatMulOverrideInstalled(backendName = 'wasm'): boolean {
  return originalKernels.has(kernelKey(BatchMatMul, backendName));
}

/**
 * Re-register `BatchMatMul` and `_FusedMatMul` for `backendName` so that transposed operands
 * are transposed explicitly before the original kernel runs. Calling it again does nothing.
 * Throws when the backend has no such kernels (its package was not imported).
 */
export function installMatMulOverride(backendName = 'wasm'): void {
  if (isMatMulOverrideInstalled(backendName)) return;
  const transposeConfig = getKernel(Transpose, backendName);
  if (transposeConfig === undefined) {
    throw new Error(`the tfjs backend '${backendName}' has no Transpose kernel; import its package first`);
  }
  for (const kernelName of overriddenKernelNames) {
    const original = getKernel(kernelName, backendName);
    if (original === undefined) {
      throw new Error(`the tfjs backend '${backendName}' has no ${kernelName} kernel; import its package first`);
    }
    const replacement: KernelConfig = {
      kernelName,
      backendName,
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      kernelFunc: transposeFirst(original.kernelFunc, transposeConfig.kernelFunc),
    };
    // unregisterKernel first: registerKernel on an existing key prints a console warning.
    unregisterKernel(kernelName, backendName);
    registerKernel(replacement);
    originalKernels.set(kernelKey(kernelName, backendName), original);
  }
}

/** Put back the kernels that `installMatMulOverride` replaced. Does nothing when none were replaced. */
export function restoreMatMulKernels(backendName = 'wasm'): void {
  for (const kernelName of overriddenKernelNames) {
    const key = kernelKey(kernelName, backendName);
    const original = originalKernels.get(key);
    if (original === undefined) continue;
    unregisterKernel(kernelName, backendName);
    registerKernel(original);
    originalKernels.delete(key);
  }
}

/** Wrap a matmul kernel so that it never runs with `transposeA` or `transposeB` set. */
function transposeFirst(matMulKernel: KernelFunc, transposeKernel: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return matMulKernel({ inputs, backend, attrs });
    if (!isDisposingBackend(backend)) {
      throw new Error('the matmul override needs a backend with disposeData()');
    }

    const temporaries: TensorInfo[] = [];
    const swapLastAxes = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank).keys()];
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      const result = transposeKernel({ inputs: { x }, backend, attrs: { perm } });
      if (Array.isArray(result)) throw new Error('the Transpose kernel returned several tensors');
      temporaries.push(result);
      return result;
    };

    const { a, b } = inputs;
    if (a === undefined || b === undefined) throw new Error('a matmul kernel was called without inputs a and b');
    try {
      const newInputs = { ...inputs };
      if (transposeA) newInputs.a = swapLastAxes(a);
      if (transposeB) newInputs.b = swapLastAxes(b);
      const newAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
      return matMulKernel({ inputs: newInputs, backend, attrs: newAttrs });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
