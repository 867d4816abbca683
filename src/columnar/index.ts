/**
 * The columnar layer: operations on flat typed columns and jagged columns (offsets plus
 * values), such as gathering selected entries and padding candidates to a fixed count.
 * It does not depend on ROOT files or tasks: columns come in and typed arrays go out.
 */

export { padCandidates, gatherFloat32, gatherRows } from './padding.js';
