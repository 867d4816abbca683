/**
 * Selection and start-up of the TensorFlow.js backend: wasm (XNNPACK, the default) or the
 * pure-JavaScript cpu backend. The wasm binaries are loaded from the installed
 * `@tensorflow/tfjs-backend-wasm` package, by absolute file path, so no network access or
 * bundler is needed.
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The Node build of tfjs-core 4.22 registers no gradient functions. tfjs-layers bundles them
// and registers them on import, in the global registry that every tfjs copy shares.
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UnknownNameError } from '../../errors.js';
import { installIdentityOverride, isIdentityOverrideInstalled, restoreIdentityKernel } from './identity-override.js';
import { installMatMulOverride, isMatMulOverrideInstalled, restoreMatMulKernels } from './matmul-override.js';
import { installSliceOverride, isSliceOverrideInstalled, restoreSliceKernels } from './slice-override.js';

export const tfjsBackendNames = ['wasm', 'cpu'] as const;
export type TfjsBackendName = (typeof tfjsBackendNames)[number];

/** Backend settings that `initTfjsBackend` applied, for the command line to report. */
export interface TfjsBackendInfo {
  backend: TfjsBackendName;
  /** True when the transpose-free matmul kernels replace the wasm ones (see matmul-override.ts). */
  matMulOverride: boolean;
  /** True when the data-sharing Identity kernel replaces the wasm one (see identity-override.ts). */
  identityOverride: boolean;
  /** True when the Slice, SplitV and Unpack kernels copy only the selected part (see slice-override.ts). */
  sliceOverride: boolean;
  /** Whether the wasm binary uses SIMD; false on the cpu backend. */
  simd: boolean;
}

export interface TfjsBackendOptions {
  /**
   * Replace the wasm matmul kernels by transpose-first versions (true, the default) or put the
   * original kernels back (false). Ignored on cpu.
   */
  matMulOverride?: boolean;
  /**
   * Replace the wasm Identity kernel, which copies, by one that shares the input's data (true,
   * the default) or put the original back (false). Ignored on cpu.
   */
  identityOverride?: boolean;
  /**
   * Replace the wasm Slice, SplitV and Unpack kernels, which first copy their whole input, by
   * ones that copy only the selected part (true, the default), or put the originals back (false).
   * Ignored on cpu.
   */
  sliceOverride?: boolean;
}

let wasmPathsSet = false;

/** Directory of the installed tfjs-backend-wasm .wasm files, with a trailing separator. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js, beside the .wasm files.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** Check that `name` is a known backend and return it typed. */
export function parseTfjsBackendName(name: string): TfjsBackendName {
  for (const known of tfjsBackendNames) {
    if (known === name) return known;
  }
  throw new UnknownNameError(`unknown tfjs backend '${name}'; known backends: ${tfjsBackendNames.join(', ')}`);
}

/**
 * Make `name` the active TensorFlow.js backend, loading the wasm binary on first use and
 * installing the matmul and Identity overrides there. Switching between backends is allowed; tensors
 * created on one backend move to the other when used.
 */
export async function initTfjsBackend(
  name: TfjsBackendName = 'wasm',
  options: TfjsBackendOptions = {},
): Promise<TfjsBackendInfo> {
  // Library code prints nothing. In tfjs-core 4.22 the PROD flag only gates console warnings,
  // such as the cpu backend's advice to install tfjs-node on its first tensor.
  tf.env().set('PROD', true);
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmBinaryDirectory());
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`the tfjs backend '${name}' failed to initialise`);
  }
  await tf.ready();

  if (name === 'wasm') {
    if (options.matMulOverride === false) restoreMatMulKernels('wasm');
    else installMatMulOverride('wasm');
    if (options.identityOverride === false) restoreIdentityKernel('wasm');
    else installIdentityOverride('wasm');
    if (options.sliceOverride === false) restoreSliceKernels('wasm');
    else installSliceOverride('wasm');
  }
  const simd = name === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return {
    backend: name,
    matMulOverride: name === 'wasm' && isMatMulOverrideInstalled('wasm'),
    identityOverride: name === 'wasm' && isIdentityOverrideInstalled('wasm'),
    sliceOverride: name === 'wasm' && isSliceOverrideInstalled('wasm'),
    simd,
  };
}
