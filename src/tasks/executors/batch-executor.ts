/**
 * Running tasks as batch jobs: one job per task instance, plus one array task (or one job)
 * per part for tasks split into parts. Each job is polled until it ends and resubmitted with
 * exponential backoff when it fails. After a restart, bhive re-attaches to it through the job
 * ids kept in the task's job folder. The batch system itself (Slurm, HTCondor) is a `BatchSystem`. Jobs run `bhive _run-instance`
 * (or `bhive _build-part`) with the same installation and working directory, so the output
 * folder must be on a filesystem that the worker nodes share.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskError } from '../../errors.js';
import type { Reporter } from '../reporter.js';
import { taskState, type TaskOutcome } from '../runner.js';
import type { TaskInstance } from '../task.js';
import { jobFolder, logTail, readJobRecord, REUSED_EXIT_CODE, writeJobRecord, writeJobScript, type Installation, type JobResources } from './batch-job.js';

/** Runs a batch-system command and returns its standard output; injectable for tests. */
export type CommandRunner = (command: string, args: string[]) => string;

export const runSystemCommand: CommandRunner = (command, args) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A job's state in the terms bhive needs, whatever the batch system calls it. */
export interface JobStatus {
  /** `active` while queued, running or held; `done` once it will not change any more. */
  phase: 'active' | 'done';
  /** The batch system's own name for the state, for messages. */
  state: string;
  /** True when the batch system reports a normal end. */
  succeeded: boolean;
  exitCode?: number;
}

/** One batch system: how to write the job, submit it, ask for its state and cancel it. */
export interface BatchSystem {
  name: string;
  /** Script header lines (such as #SBATCH options) for a job with these resources. */
  scriptHeader(jobName: string, folder: string, resources: JobResources): string[];
  /** Submit the job script in `folder` and return the job id. */
  submit(script: string, folder: string, jobName: string, resources: JobResources, run: CommandRunner): string;
  status(jobId: string, run: CommandRunner): JobStatus;
  cancel(jobId: string, run: CommandRunner): void;
  /** The file with the job's standard output and error. */
  logFile(folder: string, jobId: string): string;
  /**
   * Optional: submit one array job whose task k runs `scripts[k]` and writes its output to
   * `logFile(folders[k], arrayTaskId(id, k))`. Returns the array's id. Systems without it get
   * one job per script.
   */
  submitArray?(arrayScript: string, scripts: string[], folders: string[], jobName: string, resources: JobResources, run: CommandRunner): string;
  /** Job id of task k of the array `arrayId`; required with `submitArray`. */
  arrayTaskId?(arrayId: string, k: number): string;
}

export interface BatchOptions {
  system: BatchSystem;
  installation: Installation;
  /** The `bhive run` arguments, passed on to every job. */
  argv: string[];
  reporter: Reporter;
  resources: (instance: TaskInstance) => JobResources;
  /** Extra submissions after a failed job; default 2. */
  retries?: number;
  /** Seconds before the first retry, doubled for each further one; default 5. */
  retryDelaySeconds?: number;
  /** Seconds between state queries; default 2. */
  pollSeconds?: number;
  run?: CommandRunner;
}

/** Jobs this process submitted and has not seen end, for cancelling on Ctrl-C. */
const activeJobs = new Map<string, () => void>();

/** Cancel every batch job this process submitted that has not ended; returns their ids. */
export function cancelActiveBatchJobs(): string[] {
  const cancelled: string[] = [];
  for (const [jobId, cancel] of activeJobs) {
    try {
      cancel();
      cancelled.push(jobId);
    } catch {
      // The job may have ended in the meantime; nothing else to do on the way out.
    }
  }
  activeJobs.clear();
  return cancelled;
}

/** One job's worth of work: the task itself, or one of its parts. */
interface JobUnit {
  /** Name in messages and in the job name, such as `DatasetConstruction part-00002`. */
  label: string;
  /** Folder of the job script, logs and job.json. */
  folder: string;
  /** bhive subcommand and its leading arguments; the `bhive run` arguments follow. */
  subcommand: string[];
  complete(): boolean;
}

export class BatchExecutor {
  private readonly run: CommandRunner;

  constructor(private readonly options: BatchOptions) {
    this.run = options.run ?? runSystemCommand;
  }

  /**
   * Produce `instance`'s output through batch jobs; a TaskExecutor. A task with two or more
   * `parts` first gets one job per unfinished part (one array job where the batch system has
   * arrays), all queued together, and the task's own job is submitted once every part is
   * complete. A single part is left to the task's job.
   */
  async execute(instance: TaskInstance): Promise<TaskOutcome> {
    if (instance.definition.parts) await this.executeParts(instance);
    return this.runUntilDone(instance, {
      label: instance.definition.name,
      folder: jobFolder(instance),
      subcommand: ['_run-instance', instance.outputDir],
      complete: () => taskState(instance) === 'complete',
    });
  }

  /** Runs a job for each unfinished part of `instance`, retrying failed parts only. */
  private async executeParts(instance: TaskInstance): Promise<void> {
    const name = instance.definition.name;
    const all = instance.definition.parts?.list(instance) ?? [];
    if (all.length < 2) return;
    const parts = all.filter((part) => !part.complete());
    if (parts.length === 0) return;
    this.options.reporter.info(`${name}: ${parts.length} part(s) to build as separate jobs`);
    const units: JobUnit[] = parts.map((part) => ({
      label: `${name} ${part.name}`,
      folder: path.join(jobFolder(instance), part.name),
      subcommand: ['_build-part', instance.outputDir, part.name],
      complete: () => part.complete(),
    }));
    // Parts whose job of an earlier bhive process still runs are followed, not submitted again.
    const fresh = units.filter((unit) => !this.stillActive(unit));
    const submitted = fresh.length >= 2 ? await this.submitArray(instance, fresh) : new Map<JobUnit, string>();
    const results = await Promise.allSettled(units.map((unit) => this.runUntilDone(instance, unit, submitted.get(unit))));
    const failed: string[] = [];
    results.forEach((result, i) => {
      if (result.status !== 'rejected') return;
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failed.push(`${parts[i].name}: ${reason}`);
    });
    if (failed.length > 0) {
      throw new TaskError(`${name}: ${failed.length} of ${parts.length} part job(s) failed after their retries, so the merge job was not submitted:\n${failed.join('\n')}`, {
        task: name,
      });
    }
  }

  /** True when the last job recorded for `unit` is still queued or running. */
  private stillActive(unit: JobUnit): boolean {
    const previous = readJobRecord(unit.folder)?.jobIds.at(-1);
    return previous !== undefined && this.options.system.status(previous, this.run).phase === 'active';
  }

  /**
   * Submit `units` as one array job when the batch system has arrays, and record each task's
   * job id in its unit's job.json. Returns the job id per unit, which is empty without arrays.
   */
  private async submitArray(instance: TaskInstance, units: JobUnit[]): Promise<Map<JobUnit, string>> {
    const { system, reporter } = this.options;
    const ids = new Map<JobUnit, string>();
    if (system.submitArray === undefined || system.arrayTaskId === undefined) return ids;

    const resources = this.options.resources(instance);
    const scripts: string[] = [];
    for (const unit of units) scripts.push(await this.writeScript(instance, unit, resources));
    const arrayScript = path.join(jobFolder(instance), 'parts-array.sh');
    const folders = units.map((unit) => unit.folder);
    const submitArray = system.submitArray.bind(system);
    const arrayId = this.submitted(instance, `the parts of ${instance.definition.name} as an array job`, () =>
      submitArray(arrayScript, scripts, folders, `bhive-${instance.definition.name}-parts`, resources, this.run),
    );
    reporter.info(`${instance.definition.name}: submitted ${system.name} array job ${arrayId} with ${units.length} tasks`);
    for (const [k, unit] of units.entries()) {
      const jobId = system.arrayTaskId(arrayId, k);
      const record = readJobRecord(unit.folder) ?? { task: unit.label, outputDir: instance.outputDir, jobIds: [], attempts: 0 };
      record.jobIds.push(jobId);
      record.attempts++;
      await writeJobRecord(unit.folder, record);
      reporter.info(`${unit.label}: ${system.name} array task ${jobId}, log ${system.logFile(unit.folder, jobId)}`);
      ids.set(unit, jobId);
    }
    return ids;
  }

  /**
   * Submits, follows and resubmits the job of one unit until it succeeds or its retries are
   * spent. `submittedJob` is a job already submitted for it by this process (an array task),
   * which counts as its first attempt.
   */
  private async runUntilDone(instance: TaskInstance, unit: JobUnit, submittedJob?: string): Promise<TaskOutcome> {
    const { system, reporter } = this.options;
    const name = unit.label;
    const folder = unit.folder;
    const record = readJobRecord(folder) ?? { task: name, outputDir: instance.outputDir, jobIds: [], attempts: 0 };
    const maxAttempts = 1 + (this.options.retries ?? 2);
    // Submissions by this process: a restarted bhive gets a fresh retry budget, while
    // `record.attempts` counts the submissions of all processes.
    let attempts = submittedJob === undefined ? 0 : 1;

    // A job of an earlier bhive process that is still queued or running is followed, not resubmitted.
    const previous = record.jobIds.at(-1);
    let jobId: string | undefined = submittedJob;
    if (jobId === undefined && previous !== undefined) {
      const status = system.status(previous, this.run);
      if (status.phase === 'active') {
        reporter.info(`${name}: re-attaching to ${system.name} job ${previous} (${status.state})`);
        jobId = previous;
      }
    }

    for (;;) {
      if (jobId === undefined) {
        if (attempts >= maxAttempts) break;
        if (attempts > 0) {
          const delay = (this.options.retryDelaySeconds ?? 5) * 2 ** (attempts - 1);
          reporter.info(`${name}: retrying in ${delay} s (attempt ${attempts + 1} of ${maxAttempts})`);
          await sleep(delay * 1000);
        }
        jobId = await this.submit(instance, unit);
        record.jobIds.push(jobId);
        record.attempts++;
        attempts++;
        await writeJobRecord(folder, record);
        reporter.info(`${name}: submitted ${system.name} job ${jobId}, log ${system.logFile(folder, jobId)}`);
      }
      const submitted = jobId;
      activeJobs.set(submitted, () => system.cancel(submitted, this.run));
      const status = await this.waitForJob(submitted);
      activeJobs.delete(submitted);
      if (status.exitCode === REUSED_EXIT_CODE) return 'reused';
      if (status.succeeded && unit.complete()) return 'ran';
      const log = system.logFile(folder, submitted);
      reporter.warn(`${name}: ${system.name} job ${submitted} ended ${status.state} (exit code ${status.exitCode ?? '?'}); last lines of ${log}:\n${logTail(log, 10)}`);
      jobId = undefined;
    }
    const lastLog = system.logFile(folder, record.jobIds.at(-1) ?? '');
    throw new TaskError(
      `${name} failed in ${attempts} ${system.name} job(s) (${record.jobIds.slice(-attempts).join(', ')}); last lines of ${lastLog}:\n${logTail(lastLog)}`,
      { task: instance.definition.name },
    );
  }

  private async submit(instance: TaskInstance, unit: JobUnit): Promise<string> {
    const { system } = this.options;
    const resources = this.options.resources(instance);
    const script = await this.writeScript(instance, unit, resources);
    return this.submitted(instance, unit.label, () => system.submit(script, unit.folder, jobNameOf(unit), resources, this.run));
  }

  /** Write the job script of `unit` into its folder and return its path. */
  private writeScript(instance: TaskInstance, unit: JobUnit, resources: JobResources): Promise<string> {
    const header = this.options.system.scriptHeader(jobNameOf(unit), unit.folder, resources);
    return writeJobScript(unit.folder, instance, this.options.argv, this.options.installation, header, unit.subcommand);
  }

  /** Run the submission `submit` of `what`, turning a failed batch command into a TaskError with its stderr. */
  private submitted(instance: TaskInstance, what: string, submit: () => string): string {
    try {
      return submit();
    } catch (error) {
      if (error instanceof TaskError) throw error;
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new TaskError(
        `submitting ${what} to ${this.options.system.name} failed: ${stderr.trim()}; check that the batch system is reachable and the resources fit`,
        { task: instance.definition.name },
      );
    }
  }

  private async waitForJob(jobId: string): Promise<JobStatus> {
    for (;;) {
      const status = this.options.system.status(jobId, this.run);
      if (status.phase === 'done') return status;
      await sleep((this.options.pollSeconds ?? 2) * 1000);
    }
  }
}

/** The batch job name of `unit`, such as `bhive-DatasetConstruction-part-00002`. */
function jobNameOf(unit: JobUnit): string {
  return `bhive-${unit.label.replace(/\s+/g, '-')}`;
}

/** Return the `path.join`ed log path for systems that name logs by job id. */
export function jobLog(folder: string, prefix: string, jobId: string, suffix = '.log'): string {
  return path.join(folder, `${prefix}-${jobId}${suffix}`);
}
