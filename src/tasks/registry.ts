/** The registry of task definitions, filled explicitly by `registerBuiltinTasks`. */
import { TaskError, UnknownNameError, didYouMean } from '../errors.js';
import type { TaskDefinition } from './task.js';

export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();

  /** Add a task; a second task with the same name is an error unless `override` is set. */
  register(definition: TaskDefinition, options: { override?: boolean } = {}): void {
    if (this.tasks.has(definition.name) && !options.override) {
      throw new TaskError(`task '${definition.name}' is already registered; pass override: true to replace it`);
    }
    const names = new Set<string>();
    for (const spec of definition.parameters) {
      if (names.has(spec.name)) throw new TaskError(`task '${definition.name}' declares parameter '${spec.name}' twice`);
      names.add(spec.name);
    }
    this.tasks.set(definition.name, definition);
  }

  /** Return the task called `name`, or raise UnknownNameError listing the known tasks. */
  get(name: string): TaskDefinition {
    const definition = this.tasks.get(name);
    if (!definition) {
      const known = [...this.tasks.keys()];
      throw new UnknownNameError(`unknown task '${name}'.${didYouMean(name, known)} Known tasks: ${known.join(', ')}.`);
    }
    return definition;
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  list(): TaskDefinition[] {
    return [...this.tasks.values()];
  }

  /** Names of all parameters declared by any task. */
  allParameterNames(): Set<string> {
    const names = new Set<string>();
    for (const task of this.tasks.values()) for (const spec of task.parameters) names.add(spec.name);
    return names;
  }
}
