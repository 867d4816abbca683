/**
 * The registry of compute backends: the libraries and devices that models run on. A model
 * names its backend through its options (tfjs models: `backend`), and `bhive models` lists
 * every backend with whether it can run on this machine. Code that adds a backend, such as an
 * external trainer, registers an entry here so that users see it.
 */

import { BhiveError } from '../errors.js';
import { findTfjsNode, tfjsNodePackage } from './tfjs/tfjs-node.js';

export interface BackendAvailability {
  available: boolean;
  /** What was found, or what to install. */
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

/** Register the tfjs backends in `registry`. A second call for the same registry does nothing. */
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
  registered.add(registry);
}
