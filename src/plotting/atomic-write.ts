/** Atomic file writes: a temporary name in the same directory, then a rename. */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to `filePath` so that readers see either the old file or the complete
 * new one, never a partial file. The bytes go to a temporary sibling first, which is then
 * renamed over `filePath`, and a rename within one file system is atomic. The temporary
 * file is removed when writing fails. The directory must exist.
 */
export function writeFileAtomic(filePath: string, data: string | Uint8Array): void {
  const temporaryPath = `${filePath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporaryPath, data);
    renameSync(temporaryPath, filePath);
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}
