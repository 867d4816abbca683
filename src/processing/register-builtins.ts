/** Registers the processors that ship with bhive. */

import { EventCollectionProcessor } from './event-processor.js';
import { PerJetProcessor } from './per-jet-processor.js';
import { ProcessorRegistry } from './registry.js';

const NANOAOD = 'CMS NanoAOD: one jet per element of the event-level jet collection, candidates matched by ΔR (such as SV_*)';
const PFNANO = 'CMS PFNano: NanoAOD jets with particle-flow candidates through JetPFCands_jetIdx (and JetPFCands_pFCandsIdx into PFCands_*)';
const PHYSLITE = 'ATLAS PHYSLITE: one jet per element of the AnalysisJetsAuxDyn.* vectors, candidates by ΔR or index branches';

/** Adds per_jet, nanoaod, pfnano and physlite to `registry`. */
export function registerBuiltinProcessors(registry: ProcessorRegistry): void {
  registry.register({ name: 'per_jet', description: new PerJetProcessor().description, create: () => new PerJetProcessor() });
  registry.register({ name: 'nanoaod', description: NANOAOD, create: () => new EventCollectionProcessor('nanoaod', NANOAOD, ['match', 'link']) });
  registry.register({ name: 'pfnano', description: PFNANO, create: () => new EventCollectionProcessor('pfnano', PFNANO, ['link', 'match']) });
  registry.register({ name: 'physlite', description: PHYSLITE, create: () => new EventCollectionProcessor('physlite', PHYSLITE, ['match', 'link']) });
}

let builtins: ProcessorRegistry | undefined;

/** Returns a shared registry with the built-in processors, created on first use. */
export function defaultProcessorRegistry(): ProcessorRegistry {
  if (builtins === undefined) {
    builtins = new ProcessorRegistry();
    registerBuiltinProcessors(builtins);
  }
  return builtins;
}

/** Name of the processor used when a config has no `processor` key. */
export const DEFAULT_PROCESSOR = 'per_jet';
