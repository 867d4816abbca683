/** DatasetConstruction: ROOT files of one sample -> shuffled, weighted .npz chunks and a manifest. */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveSampleFiles } from '../../config/inputs.js';
import { buildParts, constructDataset, type BuildPartsOptions } from '../../dataset/construct.js';
import { groupFiles, partDirName, readFinishedPart } from '../../dataset/parts.js';
import type { BhiveConfig } from '../../config/types.js';
import { ConfigError, InputError, TaskError } from '../../errors.js';
import type { Reporter } from '../reporter.js';
import type { ResolvedParameters, RunContext, TaskDefinition } from '../task.js';
import { ConstructionProgress, formatProgressDetail } from './construction-progress.js';

/**
 * Reject a reweighting binning that does not cover the acceptance cuts: jets outside the
 * bins would be weighted by the edge bins without anyone noticing.
 */
function checkBinningCoversCuts(config: BhiveConfig): void {
  const { ptBins, etaBins } = config.reweighting;
  const { ptMin, ptMax, absEtaMax } = config.cuts;
  const problems: Array<[string, string]> = [];
  if (ptMin !== undefined && ptMin < ptBins[0]) problems.push(['pt_bins', `start at ${ptBins[0]} GeV, above cuts.pt_min ${ptMin}`]);
  if (ptMax !== undefined && ptMax > ptBins[ptBins.length - 1]) problems.push(['pt_bins', `end at ${ptBins[ptBins.length - 1]} GeV, below cuts.pt_max ${ptMax}`]);
  if (absEtaMax !== undefined && (etaBins[0] > -absEtaMax || etaBins[etaBins.length - 1] < absEtaMax)) {
    problems.push(['eta_bins', `span ${etaBins[0]} to ${etaBins[etaBins.length - 1]}, inside the cut |eta| <= ${absEtaMax}`]);
  }
  if (problems.length > 0) {
    const [key, text] = problems[0];
    throw new ConfigError(`reweighting.${key} ${text} in ${config.path}; make the bins cover the cuts, or tighten the cuts`, {
      configFile: config.path,
      configKey: `reweighting.${key}`,
    });
  }
}

/**
 * Add a hint to a missing-branch error about a truth-label branch: the usual cause is a
 * collision-data sample, which has no truth branches and needs require_labels false.
 */
function withCollisionDataHint(error: unknown, config: BhiveConfig, requireLabels: boolean): unknown {
  if (!requireLabels || !(error instanceof InputError)) return error;
  const missing = /branch '([^']+)' not found/.exec(error.message)?.[1];
  if (missing === undefined || !JSON.stringify([config.classes, config.drop]).includes(JSON.stringify(missing))) return error;
  return new InputError(
    `${error.message} It is a truth-label branch: if this sample is collision data, run with --require-labels false.`,
    error.context,
    { cause: error },
  );
}

/**
 * Returns the folder of the dataset parts of a task output. It lies beside the final output
 * directory, so that finished parts survive a killed run, and the output's lock keeps other
 * runs away from it. Without a known final directory it lies inside the temporary one.
 */
function partsDirOf(context: Pick<RunContext, 'outputDir' | 'finalOutputDir'>): string {
  return context.finalOutputDir === undefined ? path.join(context.outputDir, '.parts') : `${context.finalOutputDir}.parts`;
}

/** Returns the `buildParts` options that every part of a run shares, with progress shown through `reporter`. */
function partOptions(config: BhiveConfig, parameters: ResolvedParameters, files: string[], reporter: Reporter): Omit<BuildPartsOptions, 'partsDir'> {
  let progress: ConstructionProgress | undefined;
  const draw = (): void => {
    if (!progress) return;
    const snapshot = progress.snapshot();
    // The line reads 100% only once every file is done, because the reporter ends it there.
    const unfinished = snapshot.filesDone < snapshot.numFiles;
    const total = unfinished ? Math.max(snapshot.entriesTotal, snapshot.entriesDone + 1) : snapshot.entriesDone;
    reporter.progress('DatasetConstruction', snapshot.entriesDone, total, formatProgressDetail(snapshot));
  };
  return {
    config,
    files,
    filesPerPart: Number(parameters.files_per_job),
    requireLabels: Boolean(parameters.require_labels),
    onBadFile: parameters.on_bad_file === 'skip' ? 'skip' : 'fail',
    numWorkers: Number(parameters.processing_workers),
    onProgress: (event) => {
      progress ??= new ConstructionProgress(event.numFiles);
      progress.update(event);
      draw();
    },
    onFileDone: (event) => {
      progress ??= new ConstructionProgress(event.numFiles);
      progress.fileDone(event);
      draw();
    },
  };
}

export const datasetConstruction: TaskDefinition = {
  name: 'DatasetConstruction',
  description: 'read the ROOT files of a sample, apply cuts and labels, reweight in (pT, eta), write shuffled .npz chunks',
  parameters: [
    { name: 'sample', description: 'sample under inputs.samples in the config', type: 'string', default: 'train', significant: true },
    { name: 'seed', description: 'seed of the shuffle (and of everything downstream)', type: 'integer', default: 1, significant: true, min: 0 },
    {
      name: 'require_labels',
      description: 'read truth labels; false for collision data, whose jets get label -1 and weight 1',
      type: 'boolean',
      default: true,
      significant: true,
    },
    { name: 'chunk_size', description: 'jets per .npz chunk file', type: 'integer', default: 100000, significant: false, min: 1 },
    { name: 'processing_workers', description: 'worker threads that process input files; the output does not depend on it', type: 'integer', default: 1, significant: false, min: 1 },
    {
      name: 'files_per_job',
      description: 'input files per part; with a batch executor each part is its own job. The output does not depend on it',
      type: 'integer',
      default: 10,
      significant: false,
      min: 1,
    },
    {
      name: 'on_bad_file',
      description: "what to do with an unreadable input file: 'fail' stops, 'skip' leaves it out and lists it in the manifest",
      type: 'string',
      default: 'fail',
      choices: ['fail', 'skip'],
      significant: true,
    },
  ],
  // processes enter whole, so a changed evaluation_selection also builds the dataset anew.
  configKeys: ['tree', 'processor', 'kinematics', 'cuts', 'selection', 'derivedFeatures', 'nonFinite', 'globalFeatures', 'spectators', 'candidates', 'classes', 'drop', 'labelPriority', 'processes', 'reweighting'],
  requires: () => [],
  check(_parameters, { config }) {
    checkBinningCoversCuts(config);
  },
  tag: (p) => `${String(p.sample)}-seed${String(p.seed)}`,
  inputFiles: (parameters, env) => resolveSampleFiles(env.config, String(parameters.sample), env.dataDir),
  parts: {
    list(instance) {
      const groups = groupFiles(instance.inputFiles, Number(instance.parameters.files_per_job));
      const partsDir = partsDirOf({ outputDir: instance.outputDir, finalOutputDir: instance.outputDir });
      return groups.map((group, k) => ({
        name: partDirName(k),
        complete: () => readFinishedPart(path.join(partsDir, partDirName(k)), group) !== undefined,
      }));
    },
    async run({ config, parameters, dataDir, reporter, ...context }, partName) {
      const index = /^part-(\d+)$/.exec(partName)?.[1];
      if (index === undefined) throw new TaskError(`invalid part name '${partName}'; expected part-NNNNN`);
      const files = resolveSampleFiles(config, String(parameters.sample), dataDir);
      try {
        await buildParts({ ...partOptions(config, parameters, files, reporter), partsDir: partsDirOf(context), parts: [Number(index)] });
      } catch (error) {
        throw withCollisionDataHint(error, config, Boolean(parameters.require_labels));
      }
      reporter.endProgress();
    },
  },
  async run({ config, parameters, outputDir, finalOutputDir, dataDir, reporter }) {
    const files = resolveSampleFiles(config, String(parameters.sample), dataDir);
    reporter.info(`DatasetConstruction: ${files.length} file(s) of sample '${String(parameters.sample)}', tree '${config.tree}'`);
    const start = performance.now();
    // Parts finished by batch jobs or by an earlier, killed run are reused; the rest are built here.
    const partsDir = partsDirOf({ outputDir, finalOutputDir });
    const shared = partOptions(config, parameters, files, reporter);
    let filesRead = 0;
    let manifest: Awaited<ReturnType<typeof constructDataset>>;
    try {
      manifest = await constructDataset({
        ...shared,
        onFileDone: (event) => {
          filesRead += 1;
          shared.onFileDone?.(event);
        },
        onMergeProgress: (jetsWritten, numJets) => reporter.progress('merge', jetsWritten, numJets, 'jets shuffled into chunks'),
        outputDir,
        partsDir,
        seed: Number(parameters.seed),
        chunkSize: Number(parameters.chunk_size),
      });
    } catch (error) {
      throw withCollisionDataHint(error, config, Boolean(parameters.require_labels));
    }
    reporter.endProgress();
    await rm(partsDir, { recursive: true, force: true });
    for (const skipped of manifest.skippedFiles ?? []) reporter.warn(`DatasetConstruction: skipped ${skipped.path}: ${skipped.reason}`);
    if (manifest.numJets === 0) {
      const reasons = Object.entries(manifest.dropped).map(([reason, n]) => `${reason} ${n}`).join(', ');
      throw new InputError(
        `no jet of sample '${String(parameters.sample)}' passed the selection (dropped: ${reasons || 'none'}); ` +
          `check the cuts and the kinematics section of ${config.path} (is pT stored as log10, needing log10: true?)`,
        { configFile: config.path, configKey: 'cuts' },
      );
    }
    const counts = Object.entries(manifest.classCounts).map(([name, n]) => `${name} ${n}`).join(', ');
    const dropped = Object.entries(manifest.dropped).map(([reason, n]) => `${reason} ${n}`).join(', ');
    const seconds = (performance.now() - start) / 1000;
    const entries = manifest.inputs.reduce((sum, input) => sum + input.numEntries, 0);
    // A rate is shown only when this process read every file; otherwise the time is mostly the merge.
    const timing =
      filesRead === files.length
        ? `in ${seconds.toFixed(1)} s (${Math.round(manifest.numJets / Math.max(seconds, 1e-9))} jets/s)`
        : `(${files.length - filesRead} of them in parts built earlier) in ${seconds.toFixed(1)} s`;
    reporter.info(
      `DatasetConstruction: ${manifest.numJets} jets (${counts || 'no truth labels'}); dropped: ${dropped || 'none'}; ` +
        `${entries} entries of ${files.length} file(s) ${timing}`,
    );
  },
};
