/**
 * A small, safe expression language over columns, for selections and derived features:
 *
 *     Jet_pt > 20 && abs(Jet_eta) < 2.5
 *     log(Jet_pt / Jet_mass) * 0.5
 *
 * Numbers, column names (letters, digits, `_` and `.`, such as `AnalysisJetsAuxDyn.pt`),
 * arithmetic `+ - * / % **`, comparisons `< <= > >= == !=`, boolean `&& || !` (also `and`,
 * `or`, `not`), parentheses and the functions in {@link EXPRESSION_FUNCTIONS}. Booleans are
 * 1 and 0; any non-zero value counts as true. Nothing is passed to JavaScript `eval`: the
 * text is tokenized, parsed into a tree and evaluated column-wise.
 */

import { BhiveError } from '../errors.js';

/** Functions callable in expressions, with their number of arguments. */
export const EXPRESSION_FUNCTIONS: Record<string, { arity: number; apply: (...args: number[]) => number }> = {
  abs: { arity: 1, apply: Math.abs },
  min: { arity: 2, apply: Math.min },
  max: { arity: 2, apply: Math.max },
  log: { arity: 1, apply: Math.log },
  log10: { arity: 1, apply: Math.log10 },
  exp: { arity: 1, apply: Math.exp },
  sqrt: { arity: 1, apply: Math.sqrt },
  sin: { arity: 1, apply: Math.sin },
  cos: { arity: 1, apply: Math.cos },
  sinh: { arity: 1, apply: Math.sinh },
  cosh: { arity: 1, apply: Math.cosh },
  tanh: { arity: 1, apply: Math.tanh },
  atan2: { arity: 2, apply: Math.atan2 },
  pow: { arity: 2, apply: Math.pow },
};

/** A syntax error or an unknown name in an expression; `column` is 1-based. */
export class ExpressionError extends BhiveError {
  constructor(
    readonly expression: string,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${problem} at column ${column} of '${expression}'\n  ${expression}\n  ${' '.repeat(Math.max(column - 1, 0))}^`);
  }
}

type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '**' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

/** A parsed expression. `column` is the 1-based position of the node in the text. */
export type ExpressionNode =
  | { kind: 'number'; value: number; column: number }
  | { kind: 'name'; name: string; column: number }
  | { kind: 'unary'; operator: '-' | '!'; operand: ExpressionNode; column: number }
  | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode; column: number }
  | { kind: 'call'; name: string; args: ExpressionNode[]; column: number };

interface Token {
  kind: 'number' | 'name' | 'operator' | 'end';
  text: string;
  column: number;
}

const OPERATORS = ['**', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!', '(', ')', ','];
const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||', not: '!' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const column = i + 1;
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], column });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (name) {
      const word = WORD_OPERATORS[name[0]];
      tokens.push(word ? { kind: 'operator', text: word, column } : { kind: 'name', text: name[0], column });
      i += name[0].length;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (operator === undefined) throw new ExpressionError(text, column, `unexpected character '${ch}'`);
    tokens.push({ kind: 'operator', text: operator, column });
    i += operator.length;
  }
  tokens.push({ kind: 'end', text: 'end of expression', column: text.length + 1 });
  return tokens;
}

/** Binary operators by precedence level, lowest first. */
const LEVELS: BinaryOperator[][] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

class Parser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): ExpressionNode {
    const node = this.binary(0);
    const token = this.peek();
    if (token.kind !== 'end') throw new ExpressionError(this.text, token.column, `unexpected '${token.text}'`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind !== 'operator') throw new ExpressionError(this.text, token.column, `expected '${text}', found '${token.text}'`);
  }

  private binary(level: number): ExpressionNode {
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      const operator = LEVELS[level].find((op) => token.kind === 'operator' && token.text === op);
      if (operator === undefined) return left;
      this.next();
      // Comparisons do not chain: `a < b < c` is rejected rather than read as (a < b) < c.
      const right = this.binary(level + 1);
      left = { kind: 'binary', operator, left, right, column: token.column };
      if (level === 2) {
        const after = this.peek();
        if (after.kind === 'operator' && LEVELS[2].includes(after.text as BinaryOperator)) {
          throw new ExpressionError(this.text, after.column, 'comparisons cannot be chained; combine them with &&');
        }
        return left;
      }
    }
  }

  private unary(): ExpressionNode {
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '-' || token.text === '!')) {
      this.next();
      return { kind: 'unary', operator: token.text, operand: this.unary(), column: token.column };
    }
    if (token.kind === 'operator' && token.text === '+') {
      this.next();
      return this.unary();
    }
    const base = this.primary();
    const power = this.peek();
    if (power.kind === 'operator' && power.text === '**') {
      this.next();
      return { kind: 'binary', operator: '**', left: base, right: this.unary(), column: power.column };
    }
    return base;
  }

  private primary(): ExpressionNode {
    const token = this.next();
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text), column: token.column };
    if (token.kind === 'name') {
      const open = this.peek();
      if (open.kind !== 'operator' || open.text !== '(') return { kind: 'name', name: token.text, column: token.column };
      const fn = EXPRESSION_FUNCTIONS[token.text];
      if (fn === undefined) {
        throw new ExpressionError(this.text, token.column, `unknown function '${token.text}' (known: ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')})`);
      }
      this.next();
      const args: ExpressionNode[] = [];
      if (!(this.peek().kind === 'operator' && this.peek().text === ')')) {
        args.push(this.binary(0));
        while (this.peek().kind === 'operator' && this.peek().text === ',') {
          this.next();
          args.push(this.binary(0));
        }
      }
      this.expect(')');
      if (args.length !== fn.arity) {
        throw new ExpressionError(this.text, token.column, `${token.text}() takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, found ${args.length}`);
      }
      return { kind: 'call', name: token.text, args, column: token.column };
    }
    if (token.kind === 'operator' && token.text === '(') {
      const inner = this.binary(0);
      this.expect(')');
      return inner;
    }
    throw new ExpressionError(this.text, token.column, `expected a number, a column name, a function or '(', found '${token.text}'`);
  }
}

/** A parsed expression with the column names it reads. */
export interface Expression {
  text: string;
  root: ExpressionNode;
  /** Column names the expression reads, in order of first use. */
  names: string[];
}

function collectNames(node: ExpressionNode, names: Set<string>): void {
  if (node.kind === 'name') names.add(node.name);
  else if (node.kind === 'unary') collectNames(node.operand, names);
  else if (node.kind === 'binary') {
    collectNames(node.left, names);
    collectNames(node.right, names);
  } else if (node.kind === 'call') for (const arg of node.args) collectNames(arg, names);
}

/**
 * Parses an expression.
 * @throws ExpressionError giving the column of the first problem.
 */
export function parseExpression(text: string): Expression {
  const root = new Parser(text, tokenize(text)).parse();
  const names = new Set<string>();
  collectNames(root, names);
  return { text, root, names: [...names] };
}

function applyBinary(operator: BinaryOperator, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '**':
      return a ** b;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/**
 * Evaluates an expression for `length` rows [rows]. `column(name)` returns a column of at
 * least `length` values; it is called once per name.
 * @throws ExpressionError at the name's column when `column` returns undefined.
 */
export function evaluateExpression(
  expression: Expression,
  length: number,
  column: (name: string) => ArrayLike<number> | undefined,
): Float64Array {
  const cache = new Map<string, ArrayLike<number>>();
  const visit = (node: ExpressionNode): Float64Array => {
    const result = new Float64Array(length);
    switch (node.kind) {
      case 'number':
        result.fill(node.value);
        return result;
      case 'name': {
        let values = cache.get(node.name);
        if (values === undefined) {
          values = column(node.name);
          if (values === undefined) throw new ExpressionError(expression.text, node.column, `unknown column '${node.name}'`);
          cache.set(node.name, values);
        }
        for (let i = 0; i < length; i++) result[i] = values[i];
        return result;
      }
      case 'unary': {
        const operand = visit(node.operand);
        if (node.operator === '-') for (let i = 0; i < length; i++) result[i] = -operand[i];
        else for (let i = 0; i < length; i++) result[i] = operand[i] === 0 ? 1 : 0;
        return result;
      }
      case 'binary': {
        const left = visit(node.left);
        const right = visit(node.right);
        for (let i = 0; i < length; i++) result[i] = applyBinary(node.operator, left[i], right[i]);
        return result;
      }
      case 'call': {
        const fn = EXPRESSION_FUNCTIONS[node.name];
        const args = node.args.map(visit);
        if (args.length === 1) for (let i = 0; i < length; i++) result[i] = fn.apply(args[0][i]);
        else for (let i = 0; i < length; i++) result[i] = fn.apply(args[0][i], args[1][i]);
        return result;
      }
    }
  };
  return visit(expression.root);
}
