/** Error messages of the processing layer, as typed functions so that tests can compare against them. */

export const processingMessages = {
  twoClasses: (file: string, entry: number, first: string, second: string): string =>
    `entry ${entry} of ${file} belongs to two classes, '${first}' and '${second}': ` +
    'it matches the flags or rules of both. Make the class definitions in labels.classes exclusive, ' +
    'or set labels.priority to choose between them.',

  notScalar: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has a variable number of values per entry, ` +
    'but the configuration uses it as a per-jet value (a global feature, kinematic or flag). ' +
    'Move it to the features of a candidate group.',

  notJagged: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has one value per entry, ` +
    'but the configuration lists it as a candidate feature. Move it to global_features.',

  unequalLengths: (file: string, tree: string, branch: string, sortFeature: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has other lengths per entry than the sort feature '${sortFeature}', ` +
    'so its candidates cannot be sorted together. Move it to a candidate group with its own counter, or remove sort_by.',

  unknownProcessor: (name: string, known: string[]): string =>
    `unknown processor '${name}'; registered processors: ${known.length > 0 ? known.join(', ') : 'none'}.`,

  duplicateProcessor: (name: string): string =>
    `a processor named '${name}' is already registered; pass { override: true } to replace it`,

  unknownReferenceClass: (name: string, classes: string[]): string =>
    `reweighting.reference_class '${name}' is not one of the classes ${classes.map((c) => `'${c}'`).join(', ')}.`,
};
