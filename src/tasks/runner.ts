/**
 * Running a task tree: completed outputs are reused, missing ones are produced upstream
 * first, up to `workers` at a time. Each output is written into a temporary directory
 * beside its final place and renamed when complete, so an interrupted run leaves nothing
 * that looks complete and the next run redoes it.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BhiveError, TaskError } from '../errors.js';
import { flattenTree } from './graph.js';
import { acquireLock, processAlive } from './lock.js';
import { buildProvenance } from './provenance.js';
import { formatSeconds, type Reporter } from './reporter.js';
import type { TaskEnvironment, TaskInstance } from './task.js';

export type TaskState = 'complete' | 'missing';

/** Return 'complete' when the task's final directory exists, which happens only by renaming a finished output into place. */
export function taskState(instance: TaskInstance): TaskState {
  return existsSync(instance.outputDir) ? 'complete' : 'missing';
}

/** Outcome of a task that was missing when the run started: run here, or completed meanwhile by another process. */
export type TaskOutcome = 'ran' | 'reused';

/** Function that produces one missing task's output: in this process by default, in child processes with `--workers`. */
export type TaskExecutor = (instance: TaskInstance) => Promise<TaskOutcome>;

export interface RunOptions {
  reporter: Reporter;
  /** Tasks run at the same time; default 1. */
  workers?: number;
  /** Wait for another process that produces the same output (default), or fail at once. */
  waitForLocks?: boolean;
  /** Executor of each missing task; default `runInProcess`. */
  executor?: TaskExecutor;
}

export interface RunSummary {
  ran: TaskInstance[];
  reused: TaskInstance[];
}

/** Produce every missing output of the tree rooted at `root`. */
export async function runTaskTree(root: TaskInstance, env: TaskEnvironment, options: RunOptions): Promise<RunSummary> {
  const { reporter } = options;
  const workers = Math.max(1, options.workers ?? 1);
  const executor = options.executor ?? ((instance) => runInProcess(instance, env, reporter, options.waitForLocks ?? true));
  const summary: RunSummary = { ran: [], reused: [] };
  const pending: TaskInstance[] = [];
  for (const instance of flattenTree(root)) {
    if (taskState(instance) === 'complete') {
      reporter.info(`${instance.definition.name}: complete, reusing ${instance.outputDir}`);
      summary.reused.push(instance);
    } else {
      pending.push(instance);
    }
  }

  const done = new Set<string>(summary.reused.map((instance) => instance.outputDir));
  const running = new Map<string, Promise<void>>();
  let failure: unknown;
  while (pending.length > 0 || running.size > 0) {
    while (failure === undefined && running.size < workers) {
      const index = pending.findIndex((instance) => instance.requirements.every(({ instance: up }) => done.has(up.outputDir)));
      if (index < 0) break;
      const [instance] = pending.splice(index, 1);
      const job = executor(instance).then(
        (outcome) => {
          done.add(instance.outputDir);
          if (outcome === 'ran') summary.ran.push(instance);
          else summary.reused.push(instance);
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      running.set(instance.outputDir, job.finally(() => running.delete(instance.outputDir)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure !== undefined) throw failure;
  if (pending.length > 0) {
    throw new TaskError(`could not schedule ${pending.map((instance) => instance.definition.name).join(', ')}: their requirements did not complete`);
  }
  return summary;
}

const activeTempDirs = new Set<string>();

/**
 * Remove the temporary directories of tasks running in this process, synchronously, for
 * signal handlers that exit right after. Their locks are released by `releaseAllLocks`.
 */
export function removeActiveTempDirs(): string[] {
  const removed = [...activeTempDirs];
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  activeTempDirs.clear();
  return removed;
}

/** Run one task in this process: lock, temporary directory, run, provenance, rename. */
export async function runInProcess(instance: TaskInstance, env: TaskEnvironment, reporter: Reporter, waitForLocks = true): Promise<TaskOutcome> {
  const name = instance.definition.name;
  const finalDir = instance.outputDir;
  const parent = path.dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const lock = await acquireLock(`${finalDir}.lock`, name, {
    wait: waitForLocks,
    onWait: (pid, host) => reporter.info(`${name}: waiting for bhive process ${pid} on ${host}, which is producing ${finalDir}`),
  });
  const tempDir = path.join(parent, `.tmp-${path.basename(finalDir)}-${process.pid}`);
  try {
    if (taskState(instance) === 'complete') {
      reporter.info(`${name}: completed by another process, reusing ${finalDir}`);
      return 'reused';
    }
    await removeAbandonedTempDirs(finalDir);
    activeTempDirs.add(tempDir);
    await mkdir(tempDir, { recursive: true });
    const inputs: Record<string, string> = {};
    for (const { key, instance: upstream } of instance.requirements) inputs[key] = upstream.outputDir;
    const start = new Date();
    reporter.info(`${name}: running -> ${finalDir}`);
    try {
      await instance.definition.run({
        config: env.config,
        parameters: instance.parameters,
        outputDir: tempDir,
        finalOutputDir: finalDir,
        inputs,
        dataDir: env.dataDir,
        reporter,
      });
    } catch (error) {
      reporter.endProgress();
      if (error instanceof BhiveError) {
        if (!error.context.task) error.context.task = name;
        throw error;
      }
      throw new TaskError(`${name} failed: ${error instanceof Error ? error.message : String(error)}`, { task: name }, { cause: error });
    }
    const end = new Date();
    const provenance = buildProvenance(instance, env.config, start, end);
    await writeFile(path.join(tempDir, 'provenance.json'), `${JSON.stringify(provenance, null, 2)}\n`);
    await rename(tempDir, finalDir);
    reporter.info(`${name}: done in ${formatSeconds((end.getTime() - start.getTime()) / 1000)}`);
    return 'ran';
  } finally {
    activeTempDirs.delete(tempDir);
    await rm(tempDir, { recursive: true, force: true });
    lock.release();
  }
}

/**
 * Remove temporary directories of `finalDir` left by processes that were killed. Called
 * while holding the output's lock, so no live process is writing into them.
 */
async function removeAbandonedTempDirs(finalDir: string): Promise<void> {
  const parent = path.dirname(finalDir);
  const prefix = `.tmp-${path.basename(finalDir)}-`;
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number.parseInt(entry.slice(prefix.length), 10);
    if (pid === process.pid || !Number.isInteger(pid) || !processAlive(pid)) {
      await rm(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Remove the outputs of the tree down to `depth` requirement levels (0: the task itself,
 * 1: also its direct requirements, and so on). Returns the removed directories.
 */
export async function removeOutputs(root: TaskInstance, depth: number): Promise<string[]> {
  const removed: string[] = [];
  const seen = new Set<string>();
  const visit = async (instance: TaskInstance, level: number): Promise<void> => {
    if (level > depth || seen.has(instance.outputDir)) return;
    seen.add(instance.outputDir);
    if (taskState(instance) === 'complete') {
      await rm(instance.outputDir, { recursive: true, force: true });
      removed.push(instance.outputDir);
    }
    for (const { instance: upstream } of instance.requirements) await visit(upstream, level + 1);
  };
  await visit(root, 0);
  return removed;
}
