/** `bhive models`: list the registered models and compute backends. */

import { backendRegistry, registerBuiltinBackends } from '../models/backends.js';
import { registerBuiltinModels } from '../models/register-builtins.js';
import { modelRegistry } from '../models/registry.js';
import { createRegistryWithModules } from './modules.js';

export const MODELS_HELP = `usage: bhive models [--module FILE]

Lists the models that --model accepts and the compute backends with whether each can run
on this machine. --module FILE first imports a task module (see docs/custom-tasks.md), which may also
register models.`;

/** Print the models and backends; returns the exit code. */
export async function modelsCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${MODELS_HELP}\n`);
    return 0;
  }
  const modules: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--module' || argv[i + 1] === undefined) {
      process.stderr.write(`bhive models: unexpected argument '${argv[i]}'\n${MODELS_HELP}\n`);
      return 2;
    }
    modules.push(argv[i + 1]);
    i += 1;
  }
  registerBuiltinModels();
  registerBuiltinBackends();
  // A task module may register models with bhive's modelRegistry when it is imported.
  await createRegistryWithModules(modules);

  const models = modelRegistry.list();
  const width = Math.max(...models.map((m) => m.name.length));
  process.stdout.write('models:\n');
  for (const model of models) process.stdout.write(`  ${model.name.padEnd(width)}  ${model.description}\n`);
  process.stdout.write('\nbackends:\n');
  for (const backend of backendRegistry.list()) {
    const { available, detail } = await backend.availability();
    const name = `${backend.library}/${backend.name}`;
    process.stdout.write(`  ${name.padEnd(16)}  ${available ? 'available  ' : 'unavailable'}  ${backend.description} (${detail})\n`);
  }
  return 0;
}
