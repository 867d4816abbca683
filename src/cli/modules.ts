/**
 * Loading user task modules (`--module FILE`). A module is an ES module that exports
 * `registerTasks(registry)`, which adds its task definitions to the registry, so users
 * add tasks without editing bhive.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TaskError } from '../errors.js';
import { createTaskRegistry } from '../tasks/register-builtins.js';
import type { TaskRegistry } from '../tasks/registry.js';

/** Return the built-in registry extended by the modules at `modulePaths`. */
export async function createRegistryWithModules(modulePaths: string[]): Promise<TaskRegistry> {
  const registry = createTaskRegistry();
  for (const modulePath of modulePaths) {
    const absolute = path.resolve(modulePath);
    let loaded: { registerTasks?: unknown };
    try {
      loaded = (await import(pathToFileURL(absolute).href)) as { registerTasks?: unknown };
    } catch (error) {
      throw new TaskError(`cannot load task module ${absolute}: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
    }
    if (typeof loaded.registerTasks !== 'function') {
      throw new TaskError(`task module ${absolute} does not export a function registerTasks(registry); see docs/custom-tasks.md`);
    }
    (loaded.registerTasks as (registry: TaskRegistry) => void)(registry);
  }
  return registry;
}

/** Split the values of `--module` (comma-separated) into paths. */
export function modulePathsOption(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}
