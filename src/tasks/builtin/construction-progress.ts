/**
 * The live progress of dataset construction: files done, entries read, selected jets per
 * second and an estimate of the time left, from the per-file events of `buildParts`.
 */
import type { ConstructProgress, FileDoneEvent } from '../../dataset/construct.js';

export interface ProgressSnapshot {
  filesDone: number;
  numFiles: number;
  entriesDone: number;
  /**
   * Entries of all files: exact once every file has been opened, before that the known
   * totals plus their mean for each file not opened yet.
   */
  entriesTotal: number;
  /** Selected jets of the finished files. */
  jetsDone: number;
  /** Selected jets per second of the finished files; undefined until the first file is done. */
  jetsPerSecond?: number;
  elapsedSeconds: number;
  /** Estimate of the seconds left at the rate so far; undefined before any entry is read. */
  secondsLeft?: number;
}

/**
 * Returns the seconds left when `fraction` (0 to 1) of the work took `elapsedSeconds`, at
 * the same rate, or undefined when nothing is done yet.
 */
export function estimateSecondsLeft(elapsedSeconds: number, fraction: number): number | undefined {
  if (!(fraction > 0)) return undefined;
  if (fraction >= 1) return 0;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** Formats a rate as `950`, `12.3k` or `1.25M`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}k`;
  return String(Math.round(perSecond));
}

/** Formats the part of the progress line after the entry counts: `entries, files 2/5, 12.3k jets/s`. */
export function formatProgressDetail(snapshot: ProgressSnapshot): string {
  const rate = snapshot.jetsPerSecond === undefined ? '' : `, ${formatRate(snapshot.jetsPerSecond)} jets/s`;
  return `entries, files ${snapshot.filesDone}/${snapshot.numFiles}${rate}`;
}

/** Collects the per-file progress events of one `buildParts` call. */
export class ConstructionProgress {
  private readonly entriesDone = new Map<number, number>();
  private readonly entriesTotal = new Map<number, number>();
  private filesDone = 0;
  private jetsDone = 0;
  private readonly startMs: number;
  private lastFileDoneMs: number | undefined;

  /** `now` returns milliseconds, for tests; default `performance.now`. */
  constructor(
    private readonly numFiles: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startMs = now();
  }

  update(event: ConstructProgress): void {
    this.entriesDone.set(event.fileIndex, event.entriesDone);
    this.entriesTotal.set(event.fileIndex, event.entriesTotal);
  }

  fileDone(event: FileDoneEvent): void {
    this.filesDone += 1;
    this.jetsDone += event.numJets;
    // A skipped file reported no entries; it counts as fully done.
    const total = this.entriesTotal.get(event.fileIndex) ?? event.numEntries;
    this.entriesTotal.set(event.fileIndex, total);
    this.entriesDone.set(event.fileIndex, total);
    this.lastFileDoneMs = this.now();
  }

  snapshot(): ProgressSnapshot {
    const elapsedSeconds = (this.now() - this.startMs) / 1000;
    let entriesDone = 0;
    for (const value of this.entriesDone.values()) entriesDone += value;
    let knownTotal = 0;
    for (const value of this.entriesTotal.values()) knownTotal += value;
    const opened = this.entriesTotal.size;
    const entriesTotal = opened === 0 ? 0 : Math.round(knownTotal + ((this.numFiles - opened) * knownTotal) / opened);
    const jetSeconds = this.lastFileDoneMs === undefined ? 0 : (this.lastFileDoneMs - this.startMs) / 1000;
    const fraction = entriesTotal > 0 ? entriesDone / entriesTotal : this.filesDone / Math.max(1, this.numFiles);
    const secondsLeft = estimateSecondsLeft(elapsedSeconds, fraction);
    return {
      filesDone: this.filesDone,
      numFiles: this.numFiles,
      entriesDone,
      entriesTotal,
      jetsDone: this.jetsDone,
      ...(jetSeconds > 0 ? { jetsPerSecond: this.jetsDone / jetSeconds } : {}),
      elapsedSeconds,
      ...(secondsLeft === undefined ? {} : { secondsLeft }),
    };
  }
}
