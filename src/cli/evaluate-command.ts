/**
 * `bhive evaluate FILE... [--config EVAL.yml | flags]`: ROC curves, working points and
 * the HTML report for tagger outputs written by another framework (ROOT or .npz).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadEvaluateConfig, labelClassNames, type EvaluateConfig } from '../evaluation/evaluate-config.js';
import { readExternalInput, type ExternalInput } from '../evaluation/external-input.js';
import { applyProcessCuts, evaluateProcesses, type EvaluationJets, type ProcessEvaluation } from '../evaluation/processes.js';
import { EVALUATION_SUMMARY_FILE } from '../evaluation/summary.js';
import { stableStringify } from '../tasks/task.js';
import { bhiveVersion } from '../tasks/provenance.js';
import { InputError, TaskError } from '../errors.js';
import { REPORT_FILE } from '../report/html-report.js';
import { writeEvaluationRun } from '../report/evaluation-run.js';
import { parseArguments, type OptionSpec, type ParsedArguments } from './args.js';
import { configFromFlags, EVALUATE_FLAG_OPTIONS, parseDiscriminants } from './evaluate-options.js';

export const EVALUATE_HELP = `usage: bhive evaluate FILE [FILE ...] [--config EVAL.yml] [options]

Evaluates tagger outputs written by another framework: ROC curves, AUC, working points,
rejection table, efficiencies against pT and η, and an HTML report.
FILE is a ROOT file (a tree with label and score branches) or an .npz file.

options:
  --config FILE          evaluation config (YAML): label, score, pt, eta, weight and process
                         columns, discriminants, reference taggers, working points; examples:
                         configs/evaluate_weaver_ak8.yml, configs/evaluate_nanoaod_deepjet.yml
  --output-dir DIR       root folder of outputs (default: ./results); the evaluation goes to
                         DIR/Evaluate/<name>/<hash of config and inputs>
  --output DIR           write into exactly this folder instead
  --name NAME            name of the evaluation (default: the config's name, else the first file's name)
  --force                evaluate again even when the output folder is complete

without --config (weaver prediction files):
  --tree NAME            tree in ROOT files (default: Events)
  --classes A,B,C        classes (default: every X with columns <label-prefix>X and <score-prefix>X)
  --label-prefix TEXT    prefix of the one-hot label columns (default: label_)
  --score-prefix TEXT    prefix of the score columns (default: score_label_)
  --discriminants LIST   NAME=SIG+SIG/BKG+BKG,... such as HbbVsHqq=H_bb/H_qq
                         (default: each class with jets against all others, XvsAll)
  --pt, --eta BRANCH     jet pT (GeV) and η columns, for efficiencies against pT and η
  --weight BRANCH        per-jet weights, used in every curve and efficiency
  --tagger NAME          tagger name in legends
  --working-points LIST  mistag rates (default: 0.1,0.05,0.01,0.005,0.001)
  --rejection-efficiencies LIST  signal efficiencies of the rejection table (default: 0.5,0.7,0.85)
  --bootstrap N          bootstrap replicas for ROC uncertainty bands (default: none)
  --seed N               bootstrap seed (default: 1)

Example: bhive evaluate pred.root --discriminants HbbVsHqq=H_bb/H_qq --pt fj_pt --eta fj_eta`;

const EVALUATE_OPTIONS: OptionSpec[] = [
  { name: 'config' },
  { name: 'output-dir' },
  { name: 'output' },
  { name: 'name' },
  { name: 'force', flag: true },
  { name: 'quiet', flag: true },
  { name: 'help', flag: true },
  ...EVALUATE_FLAG_OPTIONS.map((name) => ({ name })),
];

function option(args: ParsedArguments, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Runs `bhive evaluate` and returns the exit code. Progress goes to stderr, the output folder to stdout. */
export async function evaluateCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, EVALUATE_OPTIONS);
  if (args.options.help) {
    process.stdout.write(`${EVALUATE_HELP}\n`);
    return 0;
  }
  const unknown = Object.keys(args.parameters);
  if (unknown.length > 0) throw new TaskError(`unknown option --${unknown[0].replace(/_/g, '-')} for bhive evaluate; run 'bhive evaluate --help'`);
  const files = args.positional.map((file) => path.resolve(file));
  if (files.length === 0) throw new TaskError(`missing input file.\n${EVALUATE_HELP}`);
  for (const file of files) {
    if (!existsSync(file)) throw new InputError(`input file ${file} not found; name existing .root or .npz files`, { file });
  }
  const quiet = Boolean(args.options.quiet);
  const log = (message: string): void => {
    if (!quiet) process.stderr.write(`${message}\n`);
  };

  const configPath = option(args, 'config');
  if (configPath !== undefined) {
    const flags = EVALUATE_FLAG_OPTIONS.filter((name) => args.options[name] !== undefined);
    if (flags.length > 0) throw new TaskError(`--${flags[0]} cannot be combined with --config; set it in the config file instead`);
  }
  const defaultName = path.basename(files[0]).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  const config: EvaluateConfig =
    configPath !== undefined ? await loadEvaluateConfig(configPath) : await configFromFlags(args, files, option(args, 'name') ?? defaultName);
  if (option(args, 'name') !== undefined) config.name = option(args, 'name') as string;

  const { dir: outputDir, hash } = resolveOutputDir(args, config, files, configPath);
  const identityFile = path.join(outputDir, 'evaluation-identity.txt');
  if (existsSync(path.join(outputDir, EVALUATION_SUMMARY_FILE)) && !args.options.force) {
    const stored = existsSync(identityFile) ? readFileSync(identityFile, 'utf8').trim() : '';
    if (stored !== hash) {
      throw new TaskError(
        `${outputDir} holds an evaluation of another config or other inputs; choose another --output folder, or pass --force to replace it`,
      );
    }
    log(`already evaluated with the same config and inputs (use --force to redo): ${outputDir}`);
    process.stdout.write(`${outputDir}\n`);
    return 0;
  }

  log(`reading ${files.length} file(s)`);
  const input = await readExternalInput(files, config);
  if (configPath === undefined && option(args, 'discriminants') === undefined) {
    // default XvsAll discriminants only for classes that have jets, so that an empty class (such as QCD in a signal-only file) is left out
    const counts = new Map<number, number>();
    for (const label of input.data.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    const present = labelClassNames(config.input.labels).filter((_, index) => (counts.get(index) ?? 0) > 0);
    config.discriminants = parseDiscriminants(undefined, present);
  }
  log(`${input.data.labels.length} jets (${input.numUnknown} without a class), ${config.discriminants.length + config.referenceTaggers.length} discriminant(s)`);

  const { jets, processes } = evaluateExternalProcesses(input, config);
  if (jets.data.labels.length < input.data.labels.length) log(`${jets.data.labels.length} jets pass the evaluation cuts of their process`);

  const temporary = `${outputDir}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  try {
    const summary = await writeEvaluationRun(temporary, {
      name: config.name,
      data: jets.data,
      plan: { discriminants: config.discriminants, references: jets.references, workingPoints: config.workingPoints, settings: config.evaluation },
      ...(processes ? { processes } : {}),
      inputFiles: files,
      provenance: {
        command_line: ['bhive', 'evaluate', ...argv],
        bhive_version: bhiveVersion(),
        ...(configPath === undefined ? {} : { config: describeConfig(configPath) }),
        extra: { jets_per_file: Object.fromEntries(files.map((file, index) => [file, input.jetsPerFile[index]])) },
      },
      onProgress: (index, total, name) => log(`evaluating ${name} (${index + 1}/${total})`),
    });
    writeFileSync(path.join(temporary, 'evaluation-identity.txt'), `${hash}\n`);
    rmSync(outputDir, { recursive: true, force: true });
    renameSync(temporary, outputDir);
    for (const d of summary.discriminants) {
      const wps = d.working_points
        .map((wp) => `${(100 * wp.signal_efficiency).toFixed(1)}% at ${Number((100 * wp.target_mistag).toPrecision(4))}%${wp.below_background_resolution ? ' (below resolution)' : ''}`)
        .join(', ');
      log(`${d.label}: AUC = ${d.auc.toFixed(4)}; signal efficiency ${wps} mistag`);
    }
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  log(`report: ${path.join(outputDir, REPORT_FILE)}`);
  process.stdout.write(`${outputDir}\n`);
  return 0;
}

/**
 * Returns --output, else <output-dir>/Evaluate/<name>/<hash>, where the hash (12 hex
 * digits of SHA-256) covers the resolved config and each input's path, size and
 * modification time, so that a changed input or setting never reuses an old folder.
 */
function resolveOutputDir(args: ParsedArguments, config: EvaluateConfig, files: readonly string[], configPath: string | undefined): { dir: string; hash: string } {
  const identity = stableStringify({
    config: { ...config, path: undefined },
    configText: configPath === undefined ? null : readFileSync(configPath, 'utf8'),
    files: files.map((file) => {
      const stats = statSync(file);
      return { file, bytes: stats.size, modified: stats.mtimeMs };
    }),
  });
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  const explicit = option(args, 'output');
  if (explicit !== undefined) return { dir: path.resolve(explicit), hash };
  return { dir: path.resolve(option(args, 'output-dir') ?? 'results', 'Evaluate', config.name, hash), hash };
}

function describeConfig(configPath: string): { path: string; sha256: string; text: string } {
  const text = readFileSync(configPath, 'utf8');
  return { path: path.resolve(configPath), sha256: createHash('sha256').update(text).digest('hex'), text };
}

/**
 * Applies the evaluation cut of each jet's process, written over the columns pt, eta and
 * weight, and computes the per-process curves. Without a process column the input is
 * returned as it is.
 */
function evaluateExternalProcesses(input: ExternalInput, config: EvaluateConfig): { jets: EvaluationJets; processes?: ProcessEvaluation[] } {
  const all: EvaluationJets = { data: input.data, references: input.references };
  if (input.processIndex === undefined || config.processes === undefined) return { jets: all };
  const column = {
    names: config.processes.map((p) => p.name),
    index: input.processIndex,
    selections: Object.fromEntries(config.processes.map((p) => [p.name, p.evaluationSelection])),
  };
  const available = new Map<string, ArrayLike<number>>();
  if (input.data.pt !== undefined) available.set('pt', input.data.pt);
  if (input.data.eta !== undefined) available.set('eta', input.data.eta);
  if (input.data.weights !== undefined) available.set('weight', input.data.weights);
  const { jets, mask } = applyProcessCuts(all, column, (name) => available.get(name), [...available.keys()]);
  return { jets, processes: evaluateProcesses(all, config.discriminants, column, mask, config.evaluation.useWeights) };
}
