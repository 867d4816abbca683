/** `bhive tasks`: list the tasks and their parameters. */
import { parseArguments } from './args.js';
import { createRegistryWithModules, modulePathsOption } from './modules.js';

export async function tasksCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, [{ name: 'module' }]);
  const registry = await createRegistryWithModules(modulePathsOption(args.options.module));
  const lines: string[] = [];
  for (const task of registry.list()) {
    lines.push(`${task.name}: ${task.description}`);
    for (const spec of task.parameters) {
      const significance = spec.significant ? '' : ' [does not change the output]';
      const choices = spec.choices ? ` (one of ${spec.choices.join(', ')})` : '';
      lines.push(`  --${spec.name.replace(/_/g, '-')} ${spec.type}${choices}: ${spec.description} (default: ${String(spec.default)})${significance}`);
    }
    lines.push('');
  }
  process.stdout.write(lines.join('\n'));
  return 0;
}
