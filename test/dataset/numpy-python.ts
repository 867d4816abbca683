/** Finds a Python interpreter with NumPy for the `.npy`/`.npz` interoperability tests. */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let cached: string | undefined;

/**
 * Returns `/usr/bin/python3` when it imports NumPy, else `python3` from PATH.
 * @throws Error saying to install python3-numpy when neither imports NumPy.
 */
export function numpyPython(): string {
  if (cached) return cached;
  const candidates = existsSync('/usr/bin/python3') ? ['/usr/bin/python3', 'python3'] : ['python3'];
  for (const candidate of candidates) {
    const result = spawnSync(candidate, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (result.status === 0) {
      cached = candidate;
      return candidate;
    }
  }
  throw new Error(
    `no Python with NumPy found (tried ${candidates.join(', ')}); install python3-numpy (Debian/Ubuntu: apt-get install python3-numpy)`,
  );
}

/** Runs a Python script with NumPy and returns its standard output; fails with its standard error. */
export function runPython(script: string, args: string[] = []): string {
  const result = spawnSync(numpyPython(), ['-c', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}
