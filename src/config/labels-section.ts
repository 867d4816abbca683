/**
 * The `labels` section: truth classes and drop categories given either as flag lists
 * (`b: [jetorigin_isB]`, any flag non-zero) or as rules on branches
 * (`b: { Jet_hadronFlavour: 5 }`, `light: { Jet_hadronFlavour: [0], Jet_partonFlavour: { ne: 21 } }`).
 * Conditions on different branches are AND-ed; the values of one condition are OR-ed.
 */
import type { FlagGroup, LabelCondition, LabelOperator } from './types.js';
import { checkKeys, invalid, readNumber, readObject, readStringList, type ValidationContext } from './validate.js';

/** Operator keys accepted in a rule condition, and what they become. */
const OPERATOR_KEYS: Record<string, LabelOperator> = {
  eq: 'in',
  in: 'in',
  ne: 'not_in',
  not_in: 'not_in',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
};

const RULE_SYNTAX =
  'a rule maps branch names to a number, a list of numbers (any of them), or operators ' +
  `such as { ne: 21 } or { ge: 1, lt: 4 } (operators: ${Object.keys(OPERATOR_KEYS).join(', ')})`;

function readValues(ctx: ValidationContext, key: string, value: unknown): number[] {
  if (Array.isArray(value)) {
    if (value.length === 0) invalid(ctx, key, 'expected at least one value');
    return value.map((item, i) => readNumber(ctx, `${key}[${i}]`, item));
  }
  return [readNumber(ctx, key, value)];
}

function readConditions(ctx: ValidationContext, key: string, branch: string, value: unknown): LabelCondition[] {
  if (typeof value === 'number' || Array.isArray(value)) {
    return [{ branch, operator: 'in', values: readValues(ctx, key, value) }];
  }
  if (value === null || typeof value !== 'object') invalid(ctx, key, RULE_SYNTAX);
  const object = readObject(ctx, key, value);
  checkKeys(ctx, key, object, Object.keys(OPERATOR_KEYS));
  const conditions: LabelCondition[] = [];
  for (const [name, operand] of Object.entries(object)) {
    const operator = OPERATOR_KEYS[name];
    const values = readValues(ctx, `${key}.${name}`, operand);
    if (operator !== 'in' && operator !== 'not_in' && values.length !== 1) {
      invalid(ctx, `${key}.${name}`, `'${name}' compares with one number, found ${values.length}`);
    }
    conditions.push({ branch, operator, values });
  }
  if (conditions.length === 0) invalid(ctx, key, RULE_SYNTAX);
  return conditions;
}

/** Reads a mapping of group names to flag lists or rules, such as `labels.classes`. */
export function readLabelGroups(ctx: ValidationContext, key: string, value: unknown): FlagGroup[] {
  const object = readObject(ctx, key, value);
  const groups = Object.entries(object).map(([name, item]): FlagGroup => {
    const groupKey = `${key}.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, groupKey, `'${name}' must start with a letter and contain only letters, digits and '_'`);
    if (Array.isArray(item)) return { name, flags: readStringList(ctx, groupKey, item) };
    if (item === null || typeof item !== 'object') {
      invalid(ctx, groupKey, `expected a list of flag branches or a rule: ${RULE_SYNTAX}`);
    }
    const rule = readObject(ctx, groupKey, item);
    const conditions = Object.entries(rule).flatMap(([branch, condition]) => readConditions(ctx, `${groupKey}.${branch}`, branch, condition));
    if (conditions.length === 0) invalid(ctx, groupKey, `the rule is empty: ${RULE_SYNTAX}`);
    return { name, flags: [], conditions };
  });
  if (groups.length === 0) invalid(ctx, key, 'define at least one entry: a name followed by a list of flag branches or a rule');
  return groups;
}

/**
 * Reads `labels.priority`: every class name once, in the order that decides a jet matching several classes.
 */
export function readLabelPriority(ctx: ValidationContext, value: unknown, classNames: string[]): string[] {
  const priority = readStringList(ctx, 'labels.priority', value);
  for (const name of priority) {
    if (!classNames.includes(name)) invalid(ctx, 'labels.priority', `'${name}' is not a class under labels.classes (${classNames.join(', ')})`);
  }
  const missing = classNames.filter((name) => !priority.includes(name));
  if (missing.length > 0) invalid(ctx, 'labels.priority', `list every class; missing: ${missing.join(', ')}`);
  return priority;
}

/** Branch names that the label groups read, flags and rule branches alike. */
export function labelBranches(groups: FlagGroup[]): string[] {
  return groups.flatMap((group) => [...group.flags, ...(group.conditions ?? []).map((c) => c.branch)]);
}
