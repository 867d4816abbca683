/**
 * Running tasks as batch jobs: one job per task instance, polled until it ends, resubmitted
 * with exponential backoff when it fails, and re-attached after a restart through the job
 * ids kept in the task's job folder. The batch system itself (Slurm, HTCondor) is a
 * `BatchSystem`; jobs run `bhive _run-instance` with the same installation and working
 * directory, so the output folder must be on a filesystem that the worker nodes share.
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

export class BatchExecutor {
  private readonly run: CommandRunner;

  constructor(private readonly options: BatchOptions) {
    this.run = options.run ?? runSystemCommand;
  }

  /** Produce `instance`'s output through batch jobs; a TaskExecutor. */
  async execute(instance: TaskInstance): Promise<TaskOutcome> {
    const { system, reporter } = this.options;
    const name = instance.definition.name;
    const folder = jobFolder(instance);
    const record = readJobRecord(folder) ?? { task: name, outputDir: instance.outputDir, jobIds: [], attempts: 0 };
    const maxAttempts = 1 + (this.options.retries ?? 2);

    // A job of an earlier bhive process that is still queued or running is followed, not resubmitted.
    const previous = record.jobIds.at(-1);
    let jobId: string | undefined;
    if (previous !== undefined) {
      const status = system.status(previous, this.run);
      if (status.phase === 'active') {
        reporter.info(`${name}: re-attaching to ${system.name} job ${previous} (${status.state})`);
        jobId = previous;
      }
    }

    for (;;) {
      if (jobId === undefined) {
        if (record.attempts >= maxAttempts) break;
        if (record.attempts > 0) {
          const delay = (this.options.retryDelaySeconds ?? 5) * 2 ** (record.attempts - 1);
          reporter.info(`${name}: retrying in ${delay} s (attempt ${record.attempts + 1} of ${maxAttempts})`);
          await sleep(delay * 1000);
        }
        jobId = await this.submit(instance, folder);
        record.jobIds.push(jobId);
        record.attempts++;
        await writeJobRecord(folder, record);
        reporter.info(`${name}: submitted ${system.name} job ${jobId}, log ${system.logFile(folder, jobId)}`);
      }
      const submitted = jobId;
      activeJobs.set(submitted, () => system.cancel(submitted, this.run));
      const status = await this.waitForJob(submitted);
      activeJobs.delete(submitted);
      if (status.exitCode === REUSED_EXIT_CODE) return 'reused';
      if (status.succeeded && taskState(instance) === 'complete') return 'ran';
      const log = system.logFile(folder, submitted);
      reporter.warn(`${name}: ${system.name} job ${submitted} ended ${status.state} (exit code ${status.exitCode ?? '?'}); last lines of ${log}:\n${logTail(log, 10)}`);
      jobId = undefined;
    }
    const lastLog = system.logFile(folder, record.jobIds.at(-1) ?? '');
    throw new TaskError(
      `${name} failed in ${record.attempts} ${system.name} job(s) (${record.jobIds.join(', ')}); last lines of ${lastLog}:\n${logTail(lastLog)}`,
      { task: name },
    );
  }

  private async submit(instance: TaskInstance, folder: string): Promise<string> {
    const { system } = this.options;
    const resources = this.options.resources(instance);
    const jobName = `bhive-${instance.definition.name}`;
    const script = await writeJobScript(folder, instance, this.options.argv, this.options.installation, system.scriptHeader(jobName, folder, resources));
    try {
      return system.submit(script, folder, jobName, resources, this.run);
    } catch (error) {
      if (error instanceof TaskError) throw error;
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new TaskError(`submitting ${instance.definition.name} to ${system.name} failed: ${stderr.trim()}; check that the batch system is reachable and the resources fit`, {
        task: instance.definition.name,
      });
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

/** Return the `path.join`ed log path for systems that name logs by job id. */
export function jobLog(folder: string, prefix: string, jobId: string, suffix = '.log'): string {
  return path.join(folder, `${prefix}-${jobId}${suffix}`);
}
