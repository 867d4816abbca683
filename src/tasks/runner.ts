/**
 * Running a task tree: completed outputs are reused, missing ones are produced in
 * order, upstream first. Each output is written into a temporary directory beside its
 * final place and renamed when complete, so an interrupted run leaves nothing that
 * looks complete and the next run redoes it.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BhiveError, TaskError } from '../errors.js';
import { flattenTree } from './graph.js';
import { acquireLock } from './lock.js';
import { buildProvenance } from './provenance.js';
import { formatSeconds, type Reporter } from './reporter.js';
import type { TaskEnvironment, TaskInstance } from './task.js';

export type TaskState = 'complete' | 'missing';

/** A task's output is complete when its final directory exists (it is only ever renamed into place). */
export function taskState(instance: TaskInstance): TaskState {
  return existsSync(instance.outputDir) ? 'complete' : 'missing';
}

export interface RunSummary {
  ran: TaskInstance[];
  reused: TaskInstance[];
}

/** Produce every missing output of the tree rooted at `root`. */
export async function runTaskTree(root: TaskInstance, env: TaskEnvironment, reporter: Reporter): Promise<RunSummary> {
  const summary: RunSummary = { ran: [], reused: [] };
  for (const instance of flattenTree(root)) {
    const name = instance.definition.name;
    if (taskState(instance) === 'complete') {
      reporter.info(`${name}: complete, reusing ${instance.outputDir}`);
      summary.reused.push(instance);
      continue;
    }
    await runOne(instance, env, reporter);
    summary.ran.push(instance);
  }
  return summary;
}

async function runOne(instance: TaskInstance, env: TaskEnvironment, reporter: Reporter): Promise<void> {
  const name = instance.definition.name;
  const finalDir = instance.outputDir;
  const parent = path.dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const lock = acquireLock(`${finalDir}.lock`, name);
  const tempDir = path.join(parent, `.tmp-${path.basename(finalDir)}-${process.pid}`);
  try {
    if (taskState(instance) === 'complete') {
      reporter.info(`${name}: completed by another process, reusing ${finalDir}`);
      return;
    }
    await rm(tempDir, { recursive: true, force: true });
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
  } finally {
    await rm(tempDir, { recursive: true, force: true });
    lock.release();
  }
}
