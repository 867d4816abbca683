/** Truth labels and drop categories from flag branches: a jet belongs to a group when any of its flags is non-zero. */

import { InputError } from '../errors.js';
import { processingMessages } from './messages.js';

/** A class or drop category with the columns of its flag branches, one value per entry. */
export interface FlagColumns {
  name: string;
  flags: ArrayLike<number>[];
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
    if (hasAnyFlag(groups[g], entry)) return g;
  }
  return -1;
}

/**
 * Returns the class index of `entry`, or -1 when no class flag is set.
 * @throws InputError naming the file, the entry and both classes when two classes match.
 */
export function assignClass(classes: FlagColumns[], entry: number, file: string): number {
  const index = findFlagGroup(classes, entry);
  if (index < 0) return -1;
  for (let other = index + 1; other < classes.length; other++) {
    if (hasAnyFlag(classes[other], entry)) {
      const message = processingMessages.twoClasses(file, entry, classes[index].name, classes[other].name);
      throw new InputError(message, { file, entryStart: entry, entryStop: entry + 1 });
    }
  }
  return index;
}
