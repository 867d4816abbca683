/**
 * HTCondor as a bhive batch system: a submit description per job, `condor_submit -terse`
 * to submit, `condor_q` (then `condor_history` once the job has left the queue) for the
 * state and exit code, `condor_rm` to cancel. JobStatus codes are HTCondor's: 1 idle,
 * 2 running, 3 removed, 4 completed, 5 held, 6 transferring output, 7 suspended.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TaskError } from '../../errors.js';
import type { JobResources } from './batch-job.js';
import { jobLog, type BatchSystem, type CommandRunner, type JobStatus } from './batch-executor.js';

const STATUS_NAMES: Record<number, string> = {
  1: 'IDLE',
  2: 'RUNNING',
  3: 'REMOVED',
  4: 'COMPLETED',
  5: 'HELD',
  6: 'TRANSFERRING_OUTPUT',
  7: 'SUSPENDED',
};

/** Build the submit description of one job. */
export function submitDescription(script: string, folder: string, jobName: string, resources: JobResources): string {
  return [
    '# bhive job: one task instance, see run.sh',
    'universe = vanilla',
    `executable = ${script}`,
    `output = ${path.join(folder, 'condor-$(ClusterId).out')}`,
    `error = ${path.join(folder, 'condor-$(ClusterId).err')}`,
    `log = ${path.join(folder, 'condor-events.log')}`,
    'getenv = True',
    `batch_name = ${jobName}`,
    `request_cpus = ${resources.cpus}`,
    `request_memory = ${resources.memoryMB}`,
    ...(resources.gpus > 0 ? [`request_gpus = ${resources.gpus}`] : []),
    `+MaxRuntime = ${resources.timeMinutes * 60}`,
    'queue 1',
    '',
  ].join('\n');
}

/** Read the cluster id from `condor_submit -terse` output, such as "1234.0 - 1234.0". */
export function parseTerseSubmit(output: string): string {
  const match = /^\s*(\d+)\.\d+\s*-/.exec(output);
  if (!match) throw new TaskError(`condor_submit printed '${output.trim()}' instead of a job id`);
  return match[1];
}

/** Parse `-af JobStatus ExitCode` output of condor_q or condor_history; undefined when empty. */
export function parseJobStatusLine(output: string): JobStatus | undefined {
  const line = output.trim().split('\n')[0]?.trim();
  if (!line) return undefined;
  const [statusText, exitText] = line.split(/\s+/);
  const code = Number.parseInt(statusText, 10);
  if (!Number.isInteger(code)) throw new TaskError(`could not read a JobStatus from '${line}'`);
  const exitCode = exitText === undefined || exitText === 'undefined' ? undefined : Number.parseInt(exitText, 10);
  const state = STATUS_NAMES[code] ?? `STATUS_${code}`;
  const done = code === 3 || code === 4 || code === 5;
  return { phase: done ? 'done' : 'active', state, succeeded: code === 4 && exitCode === 0, exitCode };
}

export function htcondorSystem(): BatchSystem {
  return {
    name: 'HTCondor',
    scriptHeader: () => [],
    submit(script, folder, jobName, resources, run) {
      const description = path.join(folder, 'submit.sub');
      writeFileSync(description, submitDescription(script, folder, jobName, resources));
      return parseTerseSubmit(run('condor_submit', ['-terse', description]));
    },
    status(jobId: string, run: CommandRunner): JobStatus {
      const queued = parseJobStatusLine(run('condor_q', [jobId, '-af', 'JobStatus', 'ExitCode']));
      const status = queued ?? parseJobStatusLine(run('condor_history', [jobId, '-af', 'JobStatus', 'ExitCode', '-limit', '1']));
      if (!status) return { phase: 'done', state: 'UNKNOWN', succeeded: false };
      // A held job waits for a person; bhive removes it and counts it as failed.
      if (status.state === 'HELD') run('condor_rm', [jobId]);
      return status;
    },
    cancel(jobId, run) {
      run('condor_rm', [jobId]);
    },
    logFile: (folder, jobId) => jobLog(folder, 'condor', jobId, '.err'),
  };
}
