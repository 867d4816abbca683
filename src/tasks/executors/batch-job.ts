/**
 * Parts shared by batch-system executors: the job folder beside a task's output, the job
 * script that runs one task instance with the same bhive installation, the record of
 * submitted job ids that lets a restarted bhive re-attach, and a task's resource request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { TaskInstance } from '../task.js';

/** Exit code of `bhive _run-instance` when another process completed the output meanwhile. */
export const REUSED_EXIT_CODE = 3;

/** Resources requested for one task's job. */
export interface JobResources {
  cpus: number;
  memoryMB: number;
  gpus: number;
  /** Wall-clock limit in minutes. */
  timeMinutes: number;
}

export const DEFAULT_RESOURCES: JobResources = { cpus: 1, memoryMB: 4000, gpus: 0, timeMinutes: 120 };

/** The record kept in `job.json` of a task's job folder. */
export interface JobRecord {
  task: string;
  outputDir: string;
  /** Every job id submitted for this output, oldest first. */
  jobIds: string[];
  attempts: number;
}

/** Folder of a task's batch jobs: scripts, logs and job.json, beside its output directory. */
export function jobFolder(instance: TaskInstance): string {
  return `${instance.outputDir}.jobs`;
}

export function readJobRecord(folder: string): JobRecord | undefined {
  const file = path.join(folder, 'job.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as JobRecord;
}

export async function writeJobRecord(folder: string, record: JobRecord): Promise<void> {
  const file = path.join(folder, 'job.json');
  await writeFile(`${file}.partial`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.partial`, file);
}

/** Paths that the job needs: the Node.js binary and bhive's entry point, as this process uses them. */
export interface Installation {
  node: string;
  bhive: string;
  workingDir: string;
}

/** Shell-quote one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:,@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Write `run.sh`, which runs the task instance through `bhive _run-instance` (or the given
 * `subcommand`, such as `_build-part OUTPUT part-00003`) with the same command-line
 * arguments, from the same working directory. Returns its path.
 */
export async function writeJobScript(
  folder: string,
  instance: TaskInstance,
  argv: string[],
  installation: Installation,
  header: string[],
  subcommand: string[] = ['_run-instance', instance.outputDir],
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const command = [installation.node, installation.bhive, ...subcommand, ...argv].map(shellQuote).join(' ');
  const script = [
    '#!/bin/bash',
    ...header,
    `# bhive task ${instance.definition.name}, output ${instance.outputDir}, command ${subcommand[0]}`,
    'set -euo pipefail',
    `cd ${shellQuote(installation.workingDir)}`,
    `exec ${command}`,
    '',
  ].join('\n');
  const file = path.join(folder, 'run.sh');
  await writeFile(file, script, { mode: 0o755 });
  return file;
}

/** Return the last `lines` lines of a log file, or a note when it does not exist. */
export function logTail(file: string, lines = 20): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}
