/**
 * Truth labels and drop categories. A group given by flag branches matches a jet when any
 * of its flags is non-zero; a group given by a rule matches when all its conditions hold.
 */

import type { FlagGroup, LabelCondition } from '../config/types.js';
import { InputError } from '../errors.js';
import { processingMessages } from './messages.js';

/** A rule condition with the column of its branch, one value per entry. */
export interface ConditionColumn {
  condition: LabelCondition;
  column: ArrayLike<number>;
}

/** A class or drop category with the columns of its flag branches (or rule conditions), one value per entry. */
export interface FlagColumns {
  name: string;
  flags: ArrayLike<number>[];
  /** When present the group is a rule: every condition must hold, and `flags` is ignored. */
  conditions?: ConditionColumn[];
}

/** Returns true when `value` satisfies `condition`; `in` and `not_in` compare with every value. */
export function satisfies(condition: LabelCondition, value: number): boolean {
  const { operator, values } = condition;
  switch (operator) {
    case 'in':
      return values.includes(value);
    case 'not_in':
      return !values.includes(value);
    case 'lt':
      return value < values[0];
    case 'le':
      return value <= values[0];
    case 'gt':
      return value > values[0];
    case 'ge':
      return value >= values[0];
  }
}

/** Returns true when the group matches `entry`: all rule conditions hold, or any flag is non-zero. */
export function matchesGroup(group: FlagColumns, entry: number): boolean {
  if (group.conditions) {
    for (const { condition, column } of group.conditions) {
      if (!satisfies(condition, column[entry])) return false;
    }
    return true;
  }
  return hasAnyFlag(group, entry);
}

/** Returns true when any flag column is non-zero at `entry`. */
export function hasAnyFlag(group: FlagColumns, entry: number): boolean {
  for (const flag of group.flags) {
    if (flag[entry] !== 0) return true;
  }
  return false;
}

/** Returns the index of the first group with a non-zero flag at `entry`, or -1 when none has one. */
export function findFlagGroup(groups: FlagColumns[], entry: number): number {
  for (let g = 0; g < groups.length; g++) {
    if (matchesGroup(groups[g], entry)) return g;
  }
  return -1;
}

/**
 * Returns the class index of `entry`, or -1 when no class matches. With `priority` (class
 * indices, highest priority first) the first matching class in that order wins.
 * @throws InputError naming the file, the entry and both classes when two classes match and there is no priority.
 */
export function assignClass(classes: FlagColumns[], entry: number, file: string, priority?: number[]): number {
  if (priority) {
    for (const c of priority) {
      if (matchesGroup(classes[c], entry)) return c;
    }
    return -1;
  }
  const index = findFlagGroup(classes, entry);
  if (index < 0) return -1;
  for (let other = index + 1; other < classes.length; other++) {
    if (matchesGroup(classes[other], entry)) {
      const message = processingMessages.twoClasses(file, entry, classes[index].name, classes[other].name);
      throw new InputError(message, { file, entryStart: entry, entryStop: entry + 1 });
    }
  }
  return index;
}

/**
 * Builds the columns of label groups: flag columns, or rule conditions with their columns.
 * `column` returns the per-entry values of a branch.
 */
export function labelColumns(groups: FlagGroup[], column: (branch: string) => ArrayLike<number>): FlagColumns[] {
  return groups.map((group) => {
    if (group.conditions) {
      return { name: group.name, flags: [], conditions: group.conditions.map((condition) => ({ condition, column: column(condition.branch) })) };
    }
    return { name: group.name, flags: group.flags.map(column) };
  });
}

/** Returns the class indices in `config.labelPriority` order, or undefined without a priority. */
export function classPriority(classes: FlagGroup[], priority: string[] | undefined): number[] | undefined {
  return priority?.map((name) => classes.findIndex((c) => c.name === name));
}
