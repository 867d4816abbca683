/**
 * Command-line parsing for `bhive`: a command word, known options, and any other
 * `--name value` pairs, which become task parameters.
 */
import { TaskError } from '../errors.js';
import { normaliseParameterName } from '../tasks/parameters.js';

export interface ParsedArguments {
  positional: string[];
  /** Options that the command itself declares, by name. */
  options: Record<string, string | boolean>;
  /** Every other `--name value`, with dashes in names turned into underscores. */
  parameters: Record<string, string>;
}

export interface OptionSpec {
  name: string;
  /** Flags take no value. */
  flag?: boolean;
}

/** Split `argv` into positional words, declared options and task parameters. */
export function parseArguments(argv: string[], declared: OptionSpec[]): ParsedArguments {
  const result: ParsedArguments = { positional: [], options: {}, parameters: {} };
  const specs = new Map(declared.map((spec) => [spec.name, spec]));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--') || word === '--') {
      result.positional.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const name = word.slice(2, equals < 0 ? undefined : equals);
    const inline = equals < 0 ? undefined : word.slice(equals + 1);
    if (name === '') throw new TaskError(`invalid option '${word}'`);
    const spec = specs.get(name);
    if (spec?.flag) {
      if (inline !== undefined) throw new TaskError(`option --${name} takes no value`);
      result.options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new TaskError(`option --${name} needs a value`);
      i++;
    }
    const key = spec ? name : normaliseParameterName(name);
    if ((spec ? result.options : result.parameters)[key] !== undefined) {
      throw new TaskError(`option --${name} is given twice; give it once`);
    }
    if (spec) result.options[name] = value;
    else result.parameters[key] = value;
  }
  return result;
}
