/** The `bhive` command: dispatches to one module per subcommand and prints errors. */
import { formatError } from '../errors.js';
import { cancelActiveBatchJobs } from '../tasks/executors/batch-executor.js';
import { releaseAllLocks } from '../tasks/lock.js';
import { bhiveVersion, setInvocation } from '../tasks/provenance.js';
import { removeActiveTempDirs } from '../tasks/runner.js';
import { buildPartCommand } from './build-part-command.js';
import { evaluateCommand } from './evaluate-command.js';
import { exportCommand } from './export-command.js';
import { generateCommand } from './generate-command.js';
import { modelsCommand } from './models-command.js';
import { RUN_HELP, runCommand, runInstanceCommand, signalChildTasks } from './run-command.js';
import { serveCommand } from './serve-command.js';
import { statusCommand } from './status-command.js';
import { tasksCommand } from './tasks-command.js';

const HELP = `bhive: train, evaluate and export jet-flavour taggers from ROOT files

usage:
  bhive run <Task> --config FILE [--name value ...]   run a task and whatever it needs
  bhive status <Task> --config FILE [...]             show the task tree and what is complete
  bhive tasks [--module FILE]                         list tasks and their parameters
  bhive models                                        list models and compute backends
  bhive evaluate FILE... [--config EVAL.yml]          evaluate another framework's output (ROOT, .npz)
  bhive export --config FILE [--name value ...]       export the trained model as ONNX (bhive export --help)
  bhive generate [--output-dir DIR] [...]             write a simulated sample in the NANOX layout
  bhive serve [--output-dir DIR] [--port N]           dashboard of evaluations on 127.0.0.1
  bhive --version

Tasks: DatasetConstruction, InputPlots, Training, Inference, ROCCurve, WorkingPoint, Report, Export,
and the preset DeepJetWorkflow (bhive tasks lists them with their parameters).
Example: bhive run WorkingPoint --config configs/nanox_deepjet.yml --epochs 10

${RUN_HELP}`;

/**
 * On Ctrl-C or SIGTERM, remove the temporary output folders and locks of running tasks,
 * so that nothing half-written remains, then exit with 128 + the signal number.
 */
function installSignalCleanup(): void {
  const handler = (signal: NodeJS.Signals, code: number): void => {
    const children = signalChildTasks(signal);
    if (children.length > 0) process.stderr.write(`\npassed ${signal} on to the task processes ${children.join(', ')}`);
    const removed = removeActiveTempDirs();
    releaseAllLocks();
    const cancelled = cancelActiveBatchJobs();
    if (cancelled.length > 0) process.stderr.write(`\ncancelled batch jobs ${cancelled.join(', ')}`);
    process.stderr.write(`\ninterrupted by ${signal}${removed.length > 0 ? `; removed the unfinished output ${removed.join(', ')}` : ''}\n`);
    process.exit(code);
  };
  process.once('SIGINT', (signal) => handler(signal, 130));
  process.once('SIGTERM', (signal) => handler(signal, 143));
}

/** Run the command line `argv` and return the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  setInvocation(['bhive', ...argv]);
  installSignalCleanup();
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case '_run-instance':
        return await runInstanceCommand(rest);
      case '_build-part':
        return await buildPartCommand(rest);
      case 'status':
        return await statusCommand(rest);
      case 'tasks':
        return await tasksCommand(rest);
      case 'models':
        return await modelsCommand(rest);
      case 'evaluate':
        return await evaluateCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case 'generate':
        return await generateCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case '--version':
      case 'version':
        process.stdout.write(`bhive ${bhiveVersion()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`error: unknown command '${command}'; run 'bhive --help' for the commands\n`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`${formatError(error)}\n`);
    if (process.env.BHIVE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    return 1;
  }
}
