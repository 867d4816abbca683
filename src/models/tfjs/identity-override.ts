/**
 * A deliberate override of the wasm `Identity` kernel (tfjs-backend-wasm 4.22), which copies
 * its input into new memory. The tfjs engine calls it through `clone` for every tensor that
 * an operation saves for the backward pass. A DeepJet training step at batch 1024 thus made
 * about 3,200 copies, which took 7% of the step time (measured with `tf.profile` on a 2-core
 * x86 machine). The replacement returns the input's data with its reference count raised, as the
 * wasm `Reshape` kernel and the cpu `Identity` kernel do. Sharing is safe because no kernel
 * writes into its inputs, and a variable's `assign` replaces its data instead of writing into it.
 */

import { getKernel, Identity, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { DataId, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

/** Original kernel configurations, keyed by backend name, while overridden. */
const originalKernels = new Map<string, KernelConfig>();

interface ReferenceCountingBackend {
  incRef(dataId: DataId): void;
}

function isReferenceCounting(backend: object): backend is ReferenceCountingBackend {
  return 'incRef' in backend && typeof backend.incRef === 'function';
}

/** Check whether the sharing `Identity` kernel is installed for `backendName`. */
export function isIdentityOverrideInstalled(backendName = 'wasm'): boolean {
  return originalKernels.has(backendName);
}

/**
 * Re-register `Identity` for `backendName` so that it shares the input's data instead of
 * copying it; string tensors still go to the original kernel. Calling it again does nothing.
 * Throws when the backend has no `Identity` kernel (its package was not imported).
 */
export function installIdentityOverride(backendName = 'wasm'): void {
  if (isIdentityOverrideInstalled(backendName)) return;
  const original = getKernel(Identity, backendName);
  if (original === undefined) throw new Error(`the tfjs backend '${backendName}' has no Identity kernel; import its package first`);
  const shareData: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    if (x === undefined) throw new Error('the Identity kernel was called without input x');
    if (x.dtype === 'string' || !isReferenceCounting(backend)) return original.kernelFunc({ inputs, backend, attrs });
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  // unregisterKernel first: registerKernel on an existing key prints a console warning.
  unregisterKernel(Identity, backendName);
  registerKernel({ ...original, kernelFunc: shareData });
  originalKernels.set(backendName, original);
}

/** Put back the kernel that `installIdentityOverride` replaced. Does nothing when none was replaced. */
export function restoreIdentityKernel(backendName = 'wasm'): void {
  const original = originalKernels.get(backendName);
  if (original === undefined) return;
  unregisterKernel(Identity, backendName);
  registerKernel(original);
  originalKernels.delete(backendName);
}
