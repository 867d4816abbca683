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
import { findTfjsNode, loadTfjsNode, tfjsNodePackage } from './tfjs-node.js';
import { installIdentityOverride, isIdentityOverrideInstalled, restoreIdentityKernel } from './identity-override.js';
import { installMatMulOverride, isMatMulOverrideInstalled, restoreMatMulKernels } from './matmul-override.js';

/**
 * Backends a tfjs model can ask for. 'tensorflow' is tfjs-node's TensorFlow C library, used
 * only when `@tensorflow/tfjs-node` is installed. 'auto' takes 'tensorflow' when it is
 * installed and 'wasm' otherwise.
 */
export const tfjsBackendNames = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;
export type TfjsBackendName = (typeof tfjsBackendNames)[number];
export type ResolvedTfjsBackendName = Exclude<TfjsBackendName, 'auto'>;

/** Environment variable that replaces a model's 'auto' backend choice, such as BHIVE_TFJS_BACKEND=wasm. */
export const backendEnvironmentVariable = 'BHIVE_TFJS_BACKEND';

/** Backend settings that `initTfjsBackend` applied, for the command line to report. */
export interface TfjsBackendInfo {
  backend: ResolvedTfjsBackendName;
  /** Entry file of the tfjs-node package in use; only for 'tensorflow'. */
  tfjsNode?: string;
  /** True when the transpose-free matmul kernels replace the wasm ones (see matmul-override.ts). */
  matMulOverride: boolean;
  /** True when the data-sharing Identity kernel replaces the wasm one (see identity-override.ts). */
  identityOverride: boolean;
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
}

let wasmPathsSet = false;

/** Directory of the installed tfjs-backend-wasm .wasm files, with a trailing separator. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/tf-backend-wasm.node.js, beside the .wasm files.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/**
 * Turn a requested backend into the one to start: 'auto' becomes the value of
 * BHIVE_TFJS_BACKEND when set, else 'tensorflow' when tfjs-node is installed, else 'wasm'.
 * @throws UnknownNameError when 'tensorflow' is requested and tfjs-node is not installed, or
 *   when BHIVE_TFJS_BACKEND names no backend.
 */
export function resolveTfjsBackend(requested: TfjsBackendName): { name: ResolvedTfjsBackendName; tfjsNode?: string } {
  let name: TfjsBackendName = requested;
  if (name === 'auto') {
    const fromEnvironment = process.env[backendEnvironmentVariable];
    if (fromEnvironment !== undefined && fromEnvironment !== '') {
      name = parseTfjsBackendName(fromEnvironment, backendEnvironmentVariable);
    }
  }
  if (name === 'auto') {
    const entry = findTfjsNode();
    return entry === undefined ? { name: 'wasm' } : { name: 'tensorflow', tfjsNode: entry };
  }
  if (name === 'tensorflow') {
    const entry = findTfjsNode();
    if (entry === undefined) {
      throw new UnknownNameError(
        `the tfjs backend 'tensorflow' needs the package ${tfjsNodePackage}, which is not installed; ` +
          `install it with 'npm install ${tfjsNodePackage}@${tf.version_core}' (its install step downloads libtensorflow) or choose the backend 'wasm'`,
      );
    }
    return { name, tfjsNode: entry };
  }
  return { name };
}

/** Check that `name` is a known backend and return it typed. */
export function parseTfjsBackendName(name: string, source = 'backend'): TfjsBackendName {
  for (const known of tfjsBackendNames) {
    if (known === name) return known;
  }
  throw new UnknownNameError(`unknown tfjs backend '${name}' in ${source}; known backends: ${tfjsBackendNames.join(', ')}`);
}

/**
 * Make `name` the active TensorFlow.js backend, loading the wasm binary on first use and
 * installing the matmul and Identity overrides there. Switching between backends is allowed; tensors
 * created on one backend move to the other when used.
 */
export async function initTfjsBackend(
  requested: TfjsBackendName = 'wasm',
  options: TfjsBackendOptions = {},
): Promise<TfjsBackendInfo> {
  const { name, tfjsNode } = resolveTfjsBackend(requested);
  if (tfjsNode !== undefined) await loadTfjsNode(tfjsNode);
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
  }
  const simd = name === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return {
    backend: name,
    ...(tfjsNode !== undefined ? { tfjsNode } : {}),
    matMulOverride: name === 'wasm' && isMatMulOverrideInstalled('wasm'),
    identityOverride: name === 'wasm' && isIdentityOverrideInstalled('wasm'),
    simd,
  };
}
