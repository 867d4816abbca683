/** `bhive run <Task> --config FILE [--name value ...]`: produce a task's output and everything it needs. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../errors.js';
import { buildTaskTree, flattenTree } from '../tasks/graph.js';
import { ConsoleReporter } from '../tasks/reporter.js';
import { removeOutputs, runInProcess, runTaskTree, taskState, type TaskExecutor, type TaskOutcome } from '../tasks/runner.js';
import type { TaskEnvironment, TaskInstance } from '../tasks/task.js';
import { parseArguments, type OptionSpec, type ParsedArguments } from './args.js';
import { ENVIRONMENT_OPTIONS, buildEnvironment } from './environment.js';
import { createRegistryWithModules, modulePathsOption } from './modules.js';
import { DEFAULT_RESOURCES, REUSED_EXIT_CODE } from '../tasks/executors/batch-job.js';
import { BatchExecutor, type BatchSystem } from '../tasks/executors/batch-executor.js';
import { htcondorSystem } from '../tasks/executors/htcondor.js';
import { slurmSystem } from '../tasks/executors/slurm.js';

export const RUN_HELP = `usage: bhive run <Task> --config FILE [options] [--parameter value ...]

Runs a task after running whichever of its upstream tasks have no complete output yet.

options:
  --config FILE          YAML configuration of the physics setup (required)
  --output-dir DIR       root folder of all task outputs (default: ./results)
  --data-dir DIR         folder against which the config's input patterns resolve
                         (default: $BHIVE_DATA, else the config's inputs.data_dir)
  --module FILE[,FILE]   ES modules that add tasks (see docs/custom-tasks.md)
  --workers N            run up to N independent tasks at once, each in its own process (default: 1)
  --executor NAME        where tasks run: local (default), slurm or htcondor (one batch job
                         per task; see docs/batch.md)
  --batch-partition P    Slurm partition for the jobs (default: the cluster's default)
  --batch-retries N      resubmissions of a failed job (default: 2)
  --remove-output DEPTH  first remove the outputs of the task (DEPTH 0), of its direct
                         requirements too (DEPTH 1), and so on, then run
  --no-wait              fail instead of waiting when another bhive process produces the same output
  --dry-run              print what would be removed and run, and change nothing
  --quiet                print no progress bars

Task parameters (see 'bhive tasks') are given as --name value, for example --epochs 5.`;

export const RUN_OPTIONS: OptionSpec[] = [
  ...ENVIRONMENT_OPTIONS,
  { name: 'module' },
  { name: 'workers' },
  { name: 'executor' },
  { name: 'batch-partition' },
  { name: 'batch-retries' },
  { name: 'remove-output' },
  { name: 'no-wait', flag: true },
  { name: 'dry-run', flag: true },
  { name: 'quiet', flag: true },
  { name: 'help', flag: true },
];

function readCount(args: ParsedArguments, name: string, fallback: number, min: number): number {
  const raw = args.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < min) {
    throw new TaskError(`invalid value '${String(raw)}' for --${name}: expected an integer of at least ${min}`);
  }
  return value;
}

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, RUN_OPTIONS);
  if (args.options.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const taskName = args.positional[0];
  if (!taskName) throw new TaskError(`missing task name.\n${RUN_HELP}`);
  if (args.positional.length > 1) throw new TaskError(`unexpected argument '${args.positional[1]}'; give parameters as --name value`);
  const workers = readCount(args, 'workers', 1, 1);
  const removeDepth = args.options['remove-output'] === undefined ? undefined : readCount(args, 'remove-output', 0, 0);
  const registry = await createRegistryWithModules(modulePathsOption(args.options.module));
  const env = await buildEnvironment(args);
  const root = buildTaskTree(registry, taskName, env);
  const reporter = new ConsoleReporter(process.stderr, Boolean(args.options.quiet));

  if (args.options['dry-run']) {
    if (removeDepth !== undefined) {
      for (const instance of treeWithinDepth(root, removeDepth)) {
        if (taskState(instance) === 'complete') process.stdout.write(`remove ${instance.definition.name}  ${instance.outputDir}\n`);
      }
    }
    const removing = new Set(removeDepth === undefined ? [] : treeWithinDepth(root, removeDepth).map((i) => i.outputDir));
    for (const instance of flattenTree(root)) {
      const reuse = taskState(instance) === 'complete' && !removing.has(instance.outputDir);
      process.stdout.write(`${reuse ? 'reuse ' : 'run   '} ${instance.definition.name}  ${instance.outputDir}\n`);
    }
    return 0;
  }
  if (removeDepth !== undefined) {
    for (const dir of await removeOutputs(root, removeDepth)) reporter.info(`removed ${dir}`);
  }

  const waitForLocks = !args.options['no-wait'];
  const executorName = typeof args.options.executor === 'string' ? args.options.executor : 'local';
  let executor: TaskExecutor;
  let parallel = workers;
  const batchSystems: Record<string, () => BatchSystem> = {
    slurm: () => slurmSystem(typeof args.options['batch-partition'] === 'string' ? args.options['batch-partition'] : undefined),
    htcondor: () => htcondorSystem(),
  };
  if (executorName in batchSystems) {
    const batch = new BatchExecutor({
      system: batchSystems[executorName](),
      installation: { node: process.execPath, bhive: bhiveEntryPoint(), workingDir: process.cwd() },
      argv: argv.filter((word) => word !== '--dry-run'),
      reporter,
      retries: readCount(args, 'batch-retries', 2, 0),
      retryDelaySeconds: Number(process.env.BHIVE_BATCH_RETRY_SECONDS ?? 5),
      pollSeconds: Number(process.env.BHIVE_BATCH_POLL_SECONDS ?? 2),
      resources: (instance) => ({ ...DEFAULT_RESOURCES, ...instance.definition.resources }),
    });
    executor = (instance) => batch.execute(instance);
    // Independent jobs wait in the queue together; the cluster decides how many run.
    parallel = Math.max(workers, 64);
  } else if (executorName === 'local') {
    executor = workers > 1 ? (instance) => runInChildProcess(instance, argv) : (instance) => runInProcess(instance, env, reporter, waitForLocks);
  } else {
    throw new TaskError(`unknown executor '${executorName}'; use local, slurm or htcondor`);
  }
  const summary = await runTaskTree(root, env, { reporter, workers: parallel, waitForLocks, executor });
  reporter.close();
  reporter.info(`${taskName} complete: ${summary.ran.length} task(s) ran, ${summary.reused.length} reused. Output: ${root.outputDir}`);
  return 0;
}

function treeWithinDepth(root: TaskInstance, depth: number): TaskInstance[] {
  const found = new Map<string, TaskInstance>();
  const visit = (instance: TaskInstance, level: number): void => {
    if (level > depth) return;
    found.set(instance.outputDir, instance);
    for (const { instance: upstream } of instance.requirements) visit(upstream, level + 1);
  };
  visit(root, 0);
  return [...found.values()];
}

/**
 * Run one task in a child `bhive` process that rebuilds the same tree from `argv` and
 * runs only the instance with this output directory.
 */
function bhiveEntryPoint(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'bhive.js');
}

/** Task processes started by `--workers` that have not exited yet. */
const childTasks = new Set<ChildProcess>();

/**
 * Send `signal` to every running task process of `--workers`, so that each removes its
 * unfinished output and lock; returns their process ids.
 */
export function signalChildTasks(signal: NodeJS.Signals): number[] {
  const pids: number[] = [];
  for (const child of childTasks) {
    if (child.pid !== undefined && child.kill(signal)) pids.push(child.pid);
  }
  return pids;
}

function runInChildProcess(instance: TaskInstance, argv: string[]): Promise<TaskOutcome> {
  const childArgs = [bhiveEntryPoint(), '_run-instance', instance.outputDir, ...argv.filter((word) => word !== '--dry-run')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
    childTasks.add(child);
    child.on('error', (error) => reject(new TaskError(`could not start a worker process for ${instance.definition.name}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      childTasks.delete(child);
      if (code === 0) resolve('ran');
      else if (code === REUSED_EXIT_CODE) resolve('reused');
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${String(code)}`;
        reject(new TaskError(`${instance.definition.name} failed: its worker process ${how}; its messages are above`, { task: instance.definition.name }));
      }
    });
  });
}

/** `bhive _run-instance OUTPUT_DIR <run arguments>`: the worker side of `--workers`. */
export async function runInstanceCommand(argv: string[]): Promise<number> {
  const [outputDir, ...runArgv] = argv;
  const args = parseArguments(runArgv, RUN_OPTIONS);
  const registry = await createRegistryWithModules(modulePathsOption(args.options.module));
  const env: TaskEnvironment = await buildEnvironment(args);
  const root = buildTaskTree(registry, args.positional[0] ?? '', env);
  const instance = flattenTree(root).find((candidate) => candidate.outputDir === outputDir);
  if (!instance) throw new TaskError(`no task of this tree writes ${outputDir}`);
  const reporter = new ConsoleReporter(process.stderr, Boolean(args.options.quiet));
  const outcome = await runInProcess(instance, env, reporter, !args.options['no-wait']);
  reporter.close();
  return outcome === 'ran' ? 0 : REUSED_EXIT_CODE;
}
