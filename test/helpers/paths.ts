/** Locations of test inputs. Set BHIVE_TEST_DATA to use shared data from another place. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's location in dist/test/helpers or test/helpers. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test helpers');
    dir = parent;
  }
  return dir;
}

/** The shared data directory: $BHIVE_TEST_DATA, or ../shared/data beside the repository. */
export function sharedDataDir(): string {
  return process.env.BHIVE_TEST_DATA ?? path.resolve(repoRoot(), '..', 'shared', 'data');
}

/** Path of a file under the shared data directory. */
export function sharedData(...parts: string[]): string {
  return path.join(sharedDataDir(), ...parts);
}
