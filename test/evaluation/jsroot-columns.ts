/**
 * An independent reader for the evaluation tests: a plain jsroot TSelector loop that
 * returns each requested branch as a plain number array over all entries, jagged
 * branches flattened, without any of bhive's ROOT or column code.
 */
import { openFile as untypedOpenFile, TSelector, treeProcess as untypedTreeProcess } from 'jsroot';

// jsroot 7.11 has no type declarations, so the members used here are typed at this boundary.
interface Selector {
  tgtobj: Record<string, number | ArrayLike<number>>;
  addBranch(name: string): number;
  Process(): void;
}
const openFile: (file: string) => Promise<{ readObject(name: string): Promise<object> }> = untypedOpenFile;
const treeProcess: (tree: object, selector: Selector) => Promise<unknown> = untypedTreeProcess;

/** Reads `branches` of every entry of `tree`; values of jagged branches are appended in entry order. */
export async function readColumnsWithJsroot(file: string, tree: string, branches: string[]): Promise<Record<string, number[]>> {
  const rootTree = await (await openFile(file)).readObject(tree);
  const selector: Selector = new TSelector();
  for (const name of branches) selector.addBranch(name);
  const columns: Record<string, number[]> = Object.fromEntries(branches.map((name) => [name, []]));
  selector.Process = () => {
    for (const name of branches) {
      const value = selector.tgtobj[name];
      if (typeof value === 'number') columns[name].push(value);
      else for (let i = 0; i < value.length; i++) columns[name].push(Number(value[i]));
    }
  };
  await treeProcess(rootTree, selector);
  return columns;
}

/** Weighted-free Mann-Whitney statistic by the O(n^2) pair loop: P(s > b) + P(s = b) / 2. */
export function bruteForceAuc(signal: readonly number[], background: readonly number[]): number {
  let sum = 0;
  for (const s of signal) {
    for (const b of background) {
      if (s > b) sum += 1;
      else if (s === b) sum += 0.5;
    }
  }
  return sum / (signal.length * background.length);
}

/**
 * Working point by brute force over every candidate threshold (each background score and
 * -Infinity): the lowest threshold whose background fraction above it is at most the
 * target, and the signal fraction above that threshold.
 */
export function bruteForceWorkingPoint(signal: readonly number[], background: readonly number[], target: number): { threshold: number; mistag: number; efficiency: number } {
  let best = { threshold: Infinity, mistag: 0 };
  for (const candidate of [...background, -Infinity]) {
    const mistag = background.filter((b) => b > candidate).length / background.length;
    if (mistag <= target * (1 + 1e-12) && candidate < best.threshold) best = { threshold: candidate, mistag };
  }
  const efficiency = signal.filter((s) => s > best.threshold).length / signal.length;
  return { ...best, efficiency };
}
