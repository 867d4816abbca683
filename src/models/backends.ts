/**
 * The registry of compute backends: the libraries and devices that models run on. A model
 * names its backend through its options (tfjs models: `backend`), and `bhive models` lists
 * every backend with whether it can run on this machine. Code that adds a backend, such as an
 * external trainer, registers an entry here so that users see it.
 */

import { spawnSync } from 'node:child_process';
import { BhiveError } from '../errors.js';
import { defaultPython } from './external/external-classifier.js';
import { findTfjsNode, tfjsNodePackage } from './tfjs/tfjs-node.js';

export interface BackendAvailability {
  available: boolean;
  /** The path or version found, or the package to install. */
  detail: string;
}

export interface ComputeBackend {
  /** Name as the models' `backend` option takes it. */
  name: string;
  /** Library that provides it, such as "tfjs". */
  library: string;
  description: string;
  /** Check whether it can run here, without starting it. */
  availability(): BackendAvailability | Promise<BackendAvailability>;
}

export class BackendRegistry {
  private readonly backends = new Map<string, ComputeBackend>();

  /** Add `backend`; throws when the library already has a backend of that name. */
  register(backend: ComputeBackend): void {
    const key = `${backend.library}/${backend.name}`;
    if (this.backends.has(key)) throw new BhiveError(`a backend '${backend.name}' of ${backend.library} is already registered`);
    this.backends.set(key, backend);
  }

  /** Registered backends, sorted by library and name. */
  list(): ComputeBackend[] {
    return [...this.backends.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, backend]) => backend);
  }
}

export const backendRegistry = new BackendRegistry();

const registered = new WeakSet<BackendRegistry>();

/** Register the tfjs and PyTorch-worker backends in `registry`. A second call for the same registry does nothing. */
export function registerBuiltinBackends(registry: BackendRegistry = backendRegistry): void {
  if (registered.has(registry)) return;
  registry.register({
    name: 'wasm',
    library: 'tfjs',
    description: 'WebAssembly with SIMD (XNNPACK), one thread per model; the default without tfjs-node',
    availability: () => ({ available: true, detail: 'included with bhive' }),
  });
  registry.register({
    name: 'cpu',
    library: 'tfjs',
    description: 'pure JavaScript; slow, for checks',
    availability: () => ({ available: true, detail: 'included with bhive' }),
  });
  registry.register({
    name: 'tensorflow',
    library: 'tfjs',
    description: 'the TensorFlow C library through tfjs-node; the default when it is installed',
    availability: () => {
      const entry = findTfjsNode();
      return entry === undefined
        ? { available: false, detail: `install ${tfjsNodePackage} (its install step downloads libtensorflow)` }
        : { available: true, detail: entry };
    },
  });
  registry.register({
    name: 'cpu',
    library: 'pytorch',
    description: 'the PyTorch worker of workers/pytorch on the CPU (models torch_deepjet, torch_part; option device: cpu)',
    availability: () => probeTorch('cpu'),
  });
  registry.register({
    name: 'cuda',
    library: 'pytorch',
    description: 'the PyTorch worker on an NVIDIA GPU (option device: cuda)',
    availability: () => probeTorch('cuda'),
  });
  registered.add(registry);
}

/** Ask the worker's Python interpreter whether torch imports and, for 'cuda', whether it finds a GPU. */
function probeTorch(device: 'cpu' | 'cuda'): BackendAvailability {
  const python = defaultPython();
  const script = 'import torch, json; print(json.dumps([torch.__version__, torch.cuda.is_available()]))';
  const result = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    return { available: false, detail: `${python} cannot import torch; on Debian: apt-get install python3-torch libopenblas0-pthread, or set BHIVE_PYTHON` };
  }
  const [version, cuda] = JSON.parse(result.stdout.trim()) as [string, boolean];
  if (device === 'cuda' && !cuda) return { available: false, detail: `${python} has torch ${version} without a usable CUDA device` };
  return { available: true, detail: `${python}, torch ${version}` };
}
