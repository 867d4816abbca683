/**
 * The columnar layer: operations on flat typed columns and jagged columns (offsets plus
 * values), such as gathering selected entries, padding candidates to a fixed count,
 * sorting candidate segments, and the selection expression language. It does not depend
 * on ROOT files or tasks: columns come in and typed arrays go out.
 */

export { padCandidates, gatherFloat32, gatherRows } from './padding.js';
export { entrySegments, padSegments, sameOffsets, sortSegments } from './segments.js';
export { evaluateExpression, EXPRESSION_FUNCTIONS, ExpressionError, parseExpression } from './expression.js';
export type { Expression, ExpressionNode } from './expression.js';
