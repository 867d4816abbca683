/**
 * Typed task parameters. Each parameter declares whether it changes the result
 * (`significant`); only significant values enter the hash that places a task's output,
 * so a changed learning rate trains anew while a changed progress setting reuses.
 */
import { TaskError } from '../errors.js';

export type ParameterValue = string | number | boolean;

export interface ParameterSpec {
  name: string;
  description: string;
  type: 'string' | 'number' | 'integer' | 'boolean';
  default: ParameterValue;
  /** True when the value changes the task's output. */
  significant: boolean;
  /** Allowed values, for string parameters with a fixed set. */
  choices?: readonly string[];
  /** Inclusive lower bound for numbers. */
  min?: number;
}

/** Convert a command-line or YAML value to the parameter's type, or raise a TaskError naming it. */
export function convertParameter(spec: ParameterSpec, raw: ParameterValue, origin: string): ParameterValue {
  const bad = (expected: string): never => {
    throw new TaskError(`invalid value '${String(raw)}' for parameter '${spec.name}' (${origin}): expected ${expected}`);
  };
  let value: ParameterValue;
  switch (spec.type) {
    case 'string':
      value = String(raw);
      if (spec.choices && !spec.choices.includes(value)) bad(`one of ${spec.choices.join(', ')}`);
      break;
    case 'boolean':
      if (typeof raw === 'boolean') value = raw;
      else if (raw === 'true' || raw === '1' || raw === 'yes') value = true;
      else if (raw === 'false' || raw === '0' || raw === 'no') value = false;
      else value = bad('true or false');
      break;
    case 'number':
    case 'integer': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (typeof raw === 'string' && raw.trim() === '') bad('a number');
      if (!Number.isFinite(n)) bad('a number');
      if (spec.type === 'integer' && !Number.isInteger(n)) bad('an integer');
      if (spec.min !== undefined && n < spec.min) bad(`a value of at least ${spec.min}`);
      value = n;
      break;
    }
  }
  return value;
}

/** Convert a parameter name from the command line (`batch-size`) to its declared form (`batch_size`). */
export function normaliseParameterName(name: string): string {
  return name.replace(/-/g, '_');
}
