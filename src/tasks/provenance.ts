/** The provenance record written into every output directory as provenance.json. */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskInstance } from './task.js';
import type { BhiveConfig } from '../config/types.js';

export interface Provenance {
  task: string;
  hash: string;
  outputDir: string;
  config: { name: string; path: string; resolved: BhiveConfig };
  parameters: Record<string, unknown>;
  significantParameters: string[];
  identity: unknown;
  inputFiles: Array<{ path: string; bytes: number; modified: string }>;
  seed: number | null;
  upstream: Record<string, string>;
  bhive: { version: string; gitCommit: string | null; gitDirty: boolean | null };
  node: string;
  packages: Record<string, string>;
  commandLine: string[];
  host: string;
  startTime: string;
  endTime: string;
}

/** Root of the bhive installation (the folder with its package.json). */
export function packageRoot(): string {
  // This file is dist/src/tasks/provenance.js once compiled.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

let invocation: string[] | undefined;

/** Record the command line that started this process, as the user typed it. */
export function setInvocation(argv: string[]): void {
  invocation = argv;
}

let cachedVersions: { bhive: Provenance['bhive']; packages: Record<string, string> } | undefined;

function installedVersions(): { bhive: Provenance['bhive']; packages: Record<string, string> } {
  if (cachedVersions) return cachedVersions;
  const root = packageRoot();
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  const packages: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    try {
      const installed = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      packages[name] = installed.version;
    } catch {
      packages[name] = 'not installed';
    }
  }
  let gitCommit: string | null = null;
  let gitDirty: boolean | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    gitDirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
  } catch {
    // Not a git checkout (an npm installation): the version alone identifies the code.
  }
  cachedVersions = { bhive: { version: manifest.version, gitCommit, gitDirty }, packages };
  return cachedVersions;
}

/** Return the bhive version string. */
export function bhiveVersion(): string {
  return installedVersions().bhive.version;
}

export function buildProvenance(instance: TaskInstance, config: BhiveConfig, startTime: Date, endTime: Date): Provenance {
  const versions = installedVersions();
  const upstream: Record<string, string> = {};
  for (const { key, instance: up } of instance.requirements) upstream[key] = up.outputDir;
  return {
    task: instance.definition.name,
    hash: instance.hash,
    outputDir: instance.outputDir,
    config: { name: config.name, path: config.path, resolved: config },
    parameters: instance.parameters,
    significantParameters: instance.definition.parameters.filter((p) => p.significant).map((p) => p.name),
    identity: instance.identity ?? null,
    inputFiles: instance.inputFiles.map((file) => {
      const stats = statSync(file);
      return { path: file, bytes: stats.size, modified: stats.mtime.toISOString() };
    }),
    seed: typeof instance.parameters.seed === 'number' ? instance.parameters.seed : null,
    upstream,
    bhive: versions.bhive,
    node: process.version,
    packages: versions.packages,
    commandLine: invocation ?? process.argv.slice(1),
    host: os.hostname(),
    startTime: startTime.toISOString(),
    endTime: endTime.toISOString(),
  };
}
