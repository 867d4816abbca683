/** `bhive serve [--output-dir DIR] [--port N]`: the local dashboard of evaluations and their comparison. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, TaskError } from '../errors.js';
import { startDashboard } from '../report/dashboard.js';
import { parseArguments, type OptionSpec } from './args.js';

export const SERVE_HELP = `usage: bhive serve [--output-dir DIR] [--port N]

Serves a dashboard on http://127.0.0.1:PORT/ (this machine only) that lists every
evaluation (bhive evaluate, the Report task) under DIR, shows its report and compares
the selected ones: overlaid ROC curves and one table.

options:
  --output-dir DIR   folder searched for evaluations (default: ./results)
  --port N           TCP port (default: 8765; 0 picks a free port)
  --quiet            do not log requests`;

const SERVE_OPTIONS: OptionSpec[] = [{ name: 'output-dir' }, { name: 'port' }, { name: 'quiet', flag: true }, { name: 'help', flag: true }];

/** Runs the dashboard until the process receives SIGINT or SIGTERM; returns the exit code. */
export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, SERVE_OPTIONS);
  if (args.options.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  const extra = [...args.positional, ...Object.keys(args.parameters).map((name) => `--${name}`)];
  if (extra.length > 0) throw new TaskError(`unexpected argument '${extra[0]}' for bhive serve; run 'bhive serve --help'`);
  const portText = typeof args.options.port === 'string' ? args.options.port : '8765';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TaskError(`invalid value '${portText}' for --port: expected a whole number from 0 to 65535`);
  const outputRoot = path.resolve(typeof args.options['output-dir'] === 'string' ? args.options['output-dir'] : 'results');
  if (!existsSync(outputRoot)) {
    throw new InputError(`output folder ${outputRoot} does not exist; pass --output-dir with the folder that bhive run or bhive evaluate wrote into`, { file: outputRoot });
  }
  const quiet = Boolean(args.options.quiet);

  const dashboard = await startDashboard({
    outputRoot,
    port,
    onRequest: quiet ? undefined : (method, url, status) => process.stderr.write(`${method} ${url} ${status}\n`),
  });
  process.stdout.write(`bhive dashboard of ${outputRoot} at ${dashboard.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.stderr.write('stopping the dashboard\n');
      void dashboard.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
