/**
 * One lock file per output directory, so that two bhive processes never produce the
 * same output at once. The file holds the process id and host name. A lock left by a
 * process of this host that no longer exists is taken over; a lock of another host (an
 * output folder on a shared filesystem) is never taken over automatically, because its
 * process cannot be checked from here.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import { TaskError } from '../errors.js';

const heldLocks = new Set<string>();

/** Remove every lock this process holds, for signal handlers that exit right after. */
export function releaseAllLocks(): void {
  for (const lockPath of heldLocks) rmSync(lockPath, { force: true });
  heldLocks.clear();
}

export interface OutputLock {
  release(): void;
}

export interface LockOptions {
  /** Wait for a lock held by another live process (true) or fail at once (false). */
  wait: boolean;
  /** Called once when waiting starts, with the holder's process id and host. */
  onWait?: (holderPid: number, holderHost: string) => void;
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
    writeSync(fd, `${process.pid} ${os.hostname()}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface LockHolder {
  pid: number;
  host: string;
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const [pidText, host = os.hostname()] = readFileSync(lockPath, 'utf8').trim().split(/\s+/);
    const pid = Number.parseInt(pidText, 10);
    return Number.isInteger(pid) ? { pid, host } : undefined;
  } catch {
    return undefined;
  }
}

function sameHolder(a: LockHolder | undefined, b: LockHolder): boolean {
  return a !== undefined && a.pid === b.pid && a.host === b.host;
}

/**
 * Take the lock `lockPath`. A lock whose process is gone is removed and taken. A lock of a
 * live process is waited for, or raises a TaskError naming the process when `wait` is false.
 */
export async function acquireLock(lockPath: string, taskName: string, options: LockOptions): Promise<OutputLock> {
  let announced = false;
  for (;;) {
    if (tryLock(lockPath)) {
      heldLocks.add(lockPath);
      return {
        release: () => {
          heldLocks.delete(lockPath);
          rmSync(lockPath, { force: true });
        },
      };
    }
    const holder = readHolder(lockPath);
    if (holder === undefined) {
      // The lock is being written or was just released; look again shortly.
      await sleep(50);
      continue;
    }
    const local = holder.host === os.hostname();
    if (local && (holder.pid === process.pid || !processAlive(holder.pid))) {
      // NOTE: two processes that find the same stale lock at the same moment could both
      // remove it. Reading the holder again just before removing narrows that window.
      if (sameHolder(readHolder(lockPath), holder)) rmSync(lockPath, { force: true });
      continue;
    }
    if (!options.wait) {
      throw new TaskError(
        `the output of ${taskName} is being produced by another bhive process (pid ${holder.pid} on ${holder.host}); wait for it to finish, or remove ${lockPath} if that process is gone`,
        { task: taskName },
      );
    }
    if (!announced) {
      options.onWait?.(holder.pid, holder.host);
      announced = true;
    }
    await sleep(options.pollMilliseconds ?? 500);
  }
}
