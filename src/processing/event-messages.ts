/** Error messages of the event-level processors, as typed functions so that tests can compare against them. */

export const eventMessages = {
  notCollection: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} is not a collection with one value per element ` +
    '(such as SV_eta[nSV] or a std::vector<float>); candidate features, match and link branches must be.',

  notJetCollection: (file: string, tree: string, branch: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} is neither a per-event value nor a branch of the jet collection ` +
    '(its lengths per event differ from those of the kinematics.pt branch). ' +
    'Use branches of the jet collection for kinematics, global features, spectators and labels.',

  otherCollection: (file: string, tree: string, branch: string, group: string): string =>
    `candidate feature '${branch}' of group '${group}' in tree '${tree}' of ${file} has other lengths per event than the group's collection. ` +
    'Use features of one collection, or give link.candidate_index to read a target collection through an index branch.',

  indexOutOfRange: (file: string, tree: string, branch: string, entry: number, index: number, target: string, size: number): string =>
    `index branch '${branch}' in tree '${tree}' of ${file} has the value ${index} at entry ${entry}, ` +
    `but '${target}' has ${size} values in that entry; check link.candidate_index.`,

  needsPhi: (file: string, group: string): string =>
    `candidate group '${group}' matches by ΔR, so the jets need a φ: add kinematics.phi (such as { branch: Jet_phi }) to ${file}`,

  needsSource: (file: string, group: string, processor: string): string =>
    `candidate group '${group}' needs match (ΔR) or link (index branches), because processor '${processor}' reads event-level collections (in ${file})`,
};
