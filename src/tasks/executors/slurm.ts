/**
 * Slurm as a bhive batch system: `sbatch --parsable` submits (with `--array` for the parts
 * of a task), `scontrol show job -o` reports the state and exit code, `scancel` cancels.
 * Names follow Slurm 22.05.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TaskError } from '../../errors.js';
import { shellQuote, type JobResources } from './batch-job.js';
import { jobLog, type BatchSystem, type JobStatus } from './batch-executor.js';

/** Job states after which a Slurm job will not change any more. */
const TERMINAL_STATES = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE',
]);

/** Parse one line of `scontrol show job -o` into the job's state and exit code. */
export function parseScontrolJob(output: string): { state: string; exitCode?: number } {
  const fields = new Map<string, string>();
  for (const match of output.matchAll(/(\w+)=(\S*)/g)) if (!fields.has(match[1])) fields.set(match[1], match[2]);
  const state = fields.get('JobState');
  if (!state) throw new TaskError(`could not read a job state from scontrol output: ${output.slice(0, 200)}`);
  const exit = fields.get('ExitCode');
  const exitCode = exit === undefined ? undefined : Number.parseInt(exit.split(':')[0], 10);
  return { state, exitCode: Number.isInteger(exitCode) ? exitCode : undefined };
}

export function slurmSystem(partition?: string): BatchSystem {
  return {
    name: 'Slurm',
    scriptHeader(jobName: string, folder: string, resources: JobResources): string[] {
      return [
        `#SBATCH --job-name=${jobName}`,
        `#SBATCH --output=${jobLog(folder, 'slurm', '%j')}`,
        `#SBATCH --cpus-per-task=${resources.cpus}`,
        `#SBATCH --mem=${resources.memoryMB}M`,
        `#SBATCH --time=${resources.timeMinutes}`,
        ...(resources.gpus > 0 ? [`#SBATCH --gres=gpu:${resources.gpus}`] : []),
        ...(partition ? [`#SBATCH --partition=${partition}`] : []),
      ];
    },
    submit(script, _folder, _jobName, _resources, run) {
      const output = run('sbatch', ['--parsable', script]);
      const jobId = output.trim().split(';')[0];
      if (!/^\d+$/.test(jobId)) throw new TaskError(`sbatch printed '${output.trim()}' instead of a job id`);
      return jobId;
    },
    status(jobId, run): JobStatus {
      let parsed: { state: string; exitCode?: number };
      try {
        parsed = parseScontrolJob(run('scontrol', ['show', 'job', '-o', jobId]));
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? '';
        // Slurm drops finished jobs from its tables after MinJobAge seconds.
        if (/Invalid job id/i.test(stderr)) return { phase: 'done', state: 'UNKNOWN', succeeded: false };
        throw error;
      }
      const done = TERMINAL_STATES.has(parsed.state);
      return { phase: done ? 'done' : 'active', state: parsed.state, succeeded: parsed.state === 'COMPLETED', exitCode: parsed.exitCode };
    },
    cancel(jobId, run) {
      run('scancel', [jobId]);
    },
    submitArray(arrayScript, scripts, folders, jobName, resources, run) {
      // Task k runs the k-th part's own script and writes the log that logFile names for it.
      const header = this.scriptHeader(jobName, path.dirname(arrayScript), resources);
      const text = [
        '#!/bin/bash',
        ...header,
        `# bhive array job: task k runs the k-th of ${scripts.length} scripts`,
        'set -euo pipefail',
        `scripts=(${scripts.map(shellQuote).join(' ')})`,
        `logs=(${folders.map((folder) => shellQuote(path.join(folder, 'slurm-'))).join(' ')})`,
        'k=$SLURM_ARRAY_TASK_ID',
        'exec bash "${scripts[$k]}" > "${logs[$k]}${SLURM_ARRAY_JOB_ID}_${k}.log" 2>&1',
        '',
      ].join('\n');
      writeFileSync(arrayScript, text, { mode: 0o755 });
      const output = run('sbatch', ['--parsable', `--array=0-${scripts.length - 1}`, arrayScript]);
      const arrayId = output.trim().split(';')[0];
      if (!/^\d+$/.test(arrayId)) throw new TaskError(`sbatch printed '${output.trim()}' instead of an array job id`);
      return arrayId;
    },
    arrayTaskId: (arrayId, k) => `${arrayId}_${k}`,
    logFile: (folder, jobId) => jobLog(folder, 'slurm', jobId),
  };
}
