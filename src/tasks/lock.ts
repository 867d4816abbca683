/**
 * One lock file per output directory, so that two bhive processes never produce the
 * same output at once. A lock left by a process that no longer exists is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { TaskError } from '../errors.js';

export interface OutputLock {
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock `lockPath` or raise a TaskError naming the process that holds it. */
export function acquireLock(lockPath: string, taskName: string): OutputLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      } catch {
        // The holder removed the lock between our open and read; try again.
      }
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new TaskError(
          `the output of ${taskName} is being produced by another bhive process (pid ${holder}); wait for it to finish, or remove ${lockPath} if that process is not bhive`,
          { task: taskName },
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new TaskError(`could not take the lock ${lockPath} for ${taskName}; remove it and retry`, { task: taskName });
}
