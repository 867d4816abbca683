/**
 * Error classes shared by every layer. Each carries the structured location of the
 * problem (file, tree, branch, config key, task) so that the command line can print
 * where it happened and what to do.
 */

/** Location fields that an error may carry. */
export interface ErrorContext {
  file?: string;
  tree?: string;
  branch?: string;
  entryStart?: number;
  entryStop?: number;
  configFile?: string;
  configKey?: string;
  task?: string;
}

/** Base class of all errors that bhive raises on purpose. */
export class BhiveError extends Error {
  readonly context: ErrorContext;

  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A configuration file is missing, unparsable, or has an invalid or unknown key. */
export class ConfigError extends BhiveError {}

/** An input file is missing or unreadable, or lacks the configured tree or branch. */
export class InputError extends BhiveError {}

/** A name (model, task, parameter, discriminant) is not registered. */
export class UnknownNameError extends BhiveError {}

/** A task failed while running, or its parameters are invalid. */
export class TaskError extends BhiveError {}

/** An input uses a feature that bhive does not support yet. */
export class UnsupportedError extends BhiveError {}

/**
 * Return the names from `candidates` closest to `name` by edit distance, best first,
 * for "did you mean" hints.
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    scored.push([candidate, editDistance(name.toLowerCase(), candidate.toLowerCase())]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const limit = Math.max(2, Math.floor(name.length / 2));
  return scored.filter(([, d]) => d <= limit).slice(0, max).map(([c]) => c);
}

/** Format a "did you mean" suffix, or an empty string when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closestNames(name, candidates);
  return close.length > 0 ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
}

function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** Render an error and its location for the terminal. */
export function formatError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = [`error: ${error.message}`];
  if (error instanceof BhiveError) {
    const c = error.context;
    const where: string[] = [];
    if (c.configFile) where.push(`config ${c.configFile}${c.configKey ? `, key '${c.configKey}'` : ''}`);
    else if (c.configKey) where.push(`config key '${c.configKey}'`);
    if (c.file) where.push(`file ${c.file}`);
    if (c.tree) where.push(`tree '${c.tree}'`);
    if (c.branch) where.push(`branch '${c.branch}'`);
    if (c.entryStart !== undefined) where.push(`entries ${c.entryStart}-${c.entryStop ?? '?'}`);
    if (c.task) where.push(`task ${c.task}`);
    if (where.length > 0) lines.push(`  in ${where.join(', ')}`);
  }
  let cause = error.cause;
  while (cause instanceof Error) {
    // A cause whose text the message already quotes adds nothing.
    if (!error.message.includes(cause.message)) lines.push(`  caused by: ${cause.message}`);
    cause = cause.cause;
  }
  return lines.join('\n');
}
