/** Error messages of the processing layer, as typed functions so that tests can compare against them. */

export const processingMessages = {
  twoClasses: (file: string, entry: number, first: string, second: string): string =>
    `entry ${entry} of ${file} belongs to two classes, '${first}' and '${second}': ` +
    'their flag branches are both non-zero. Make the class definitions in labels.classes exclusive.',

  notScalar: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has a variable number of values per entry, ` +
    'but the configuration uses it as a per-jet value (a global feature, kinematic or flag). ' +
    'Move it to the features of a candidate group.',

  notJagged: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has one value per entry, ` +
    'but the configuration lists it as a candidate feature. Move it to global_features.',

  unknownReferenceClass: (name: string, classes: string[]): string =>
    `reweighting.reference_class '${name}' is not one of the classes ${classes.map((c) => `'${c}'`).join(', ')}.`,
};
