/**
 * Detection and loading of `@tensorflow/tfjs-node`, the TensorFlow C library binding. It is
 * not a dependency of bhive: its install script downloads libtensorflow, which needs network
 * access to Google's storage. When a user has installed it, the 'auto' backend uses it.
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const tfjsNodePackage = '@tensorflow/tfjs-node';

/**
 * Find the entry file of an installed `@tensorflow/tfjs-node`: first as seen from `directory`
 * (default the working directory, so a package installed in the analysis project counts),
 * then as seen from bhive's own installation. Returns undefined when neither has it.
 */
export function findTfjsNode(directory: string = process.cwd()): string | undefined {
  const origins = [path.join(directory, 'package.json'), import.meta.url];
  for (const origin of origins) {
    try {
      return createRequire(origin).resolve(tfjsNodePackage);
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

let loaded: string | undefined;

/**
 * Import tfjs-node from `entry`, which registers its 'tensorflow' backend with the tfjs engine.
 * Returns the entry; a second call imports nothing.
 */
export async function loadTfjsNode(entry: string): Promise<string> {
  if (loaded === undefined) {
    await import(pathToFileURL(entry).href);
    loaded = entry;
  }
  return loaded;
}
