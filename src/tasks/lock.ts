/**
 * One lock file per output directory, so that two bhive processes never produce the
 * same output at once. A lock left by a process that no longer exists is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskError } from '../errors.js';

export interface OutputLock {
  release(): void;
}

export interface LockOptions {
  /** Wait for a lock held by another live process (true) or fail at once (false). */
  wait: boolean;
  /** Called once when waiting starts, with the holder's process id. */
  onWait?: (holderPid: number) => void;
  /** Milliseconds between checks while waiting; default 500. */
  pollMilliseconds?: number;
}

/** Return true when a process with this id exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readHolder(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Take the lock `lockPath`. A lock whose process is gone is removed and taken. A lock of a
 * live process is waited for, or raises a TaskError naming the process when `wait` is false.
 */
export async function acquireLock(lockPath: string, taskName: string, options: LockOptions): Promise<OutputLock> {
  let announced = false;
  for (;;) {
    if (tryLock(lockPath)) return { release: () => rmSync(lockPath, { force: true }) };
    const holder = readHolder(lockPath);
    if (holder === undefined) {
      // The lock is being written or was just released; look again shortly.
      await sleep(50);
      continue;
    }
    if (holder === process.pid || !processAlive(holder)) {
      // NOTE: two processes that find the same stale lock at the same moment could both
      // remove it; reading the holder again just before removing narrows that window.
      if (readHolder(lockPath) === holder) rmSync(lockPath, { force: true });
      continue;
    }
    if (!options.wait) {
      throw new TaskError(
        `the output of ${taskName} is being produced by another bhive process (pid ${holder}); wait for it to finish, or remove ${lockPath} if that process is not bhive`,
        { task: taskName },
      );
    }
    if (!announced) {
      options.onWait?.(holder);
      announced = true;
    }
    await sleep(options.pollMilliseconds ?? 500);
  }
}
