/**
 * Progress and step messages for tasks. Library layers never print; tasks report
 * through this interface, and the command line decides how it appears.
 */

export interface Reporter {
  /** Print a line of information. */
  info(message: string): void;
  /** Print a warning once per distinct message; repeats are counted and summarised by `close`. */
  warn(message: string): void;
  /** Show progress of a long step; calls are rate-limited by the implementation. */
  progress(label: string, done: number, total: number, detail?: string): void;
  /** End the current progress line. */
  endProgress(): void;
}

/** Reporter that writes to a stream (stderr by default), redrawing progress on terminals. */
export class ConsoleReporter implements Reporter {
  private readonly stream: NodeJS.WriteStream;
  private readonly interactive: boolean;
  private lastDraw = 0;
  private lastPercent = -1;
  private progressOpen = false;
  private readonly warnings = new Map<string, number>();
  /** Per label: when the current pass started, how much was done then, and the last count seen. */
  private readonly passes = new Map<string, { start: number; startDone: number; lastDone: number }>();

  constructor(stream: NodeJS.WriteStream = process.stderr, private readonly quiet = false) {
    this.stream = stream;
    this.interactive = Boolean(stream.isTTY);
  }

  info(message: string): void {
    this.endProgress();
    this.stream.write(`${message}\n`);
  }

  warn(message: string): void {
    const count = this.warnings.get(message) ?? 0;
    this.warnings.set(message, count + 1);
    if (count === 0) this.info(`warning: ${message}`);
  }

  progress(label: string, done: number, total: number, detail = ''): void {
    if (this.quiet) return;
    const now = Date.now();
    // A count that does not grow starts a new pass, such as the next epoch's batches.
    let pass = this.passes.get(label);
    if (pass === undefined || done === 0 || done <= pass.lastDone) {
      pass = { start: now, startDone: done, lastDone: done };
      this.passes.set(label, pass);
    }
    pass.lastDone = done;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
    const finished = done >= total;
    if (this.interactive) {
      if (!finished && now - this.lastDraw < 100) return;
    } else if (!finished && (percent < this.lastPercent + 10 || now - this.lastDraw < 2000)) {
      return;
    }
    this.lastDraw = now;
    this.lastPercent = percent;
    const elapsed = (now - pass.start) / 1000;
    const measured = done - pass.startDone;
    const bar = renderBar(total > 0 ? done / total : 0, 24);
    let eta: string;
    if (finished) eta = formatSeconds(elapsed);
    else if (measured > 0 && elapsed > 0) eta = `${formatSeconds(elapsed)} elapsed, ${formatSeconds((elapsed * (total - done)) / measured)} left`;
    else eta = `${formatSeconds(elapsed)} elapsed`;
    const line = `${label} ${bar} ${String(percent).padStart(3)}% ${done}/${total}${detail ? ` ${detail}` : ''} (${eta})`;
    if (this.interactive) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.progressOpen = !finished;
      if (finished) this.stream.write('\n');
    } else {
      this.stream.write(`${line}\n`);
    }
    if (finished) this.lastPercent = -1;
  }

  endProgress(): void {
    if (this.progressOpen) {
      this.stream.write('\n');
      this.progressOpen = false;
    }
  }

  /** Print how often each warning repeated. */
  close(): void {
    for (const [message, count] of this.warnings) {
      if (count > 1) this.info(`warning repeated ${count} times: ${message}`);
    }
  }
}

/** Reporter that records messages, for tests. */
export class MemoryReporter implements Reporter {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  progress(): void {}
  endProgress(): void {}
}

function renderBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Format seconds as `42s`, `3m05s` or `1h02m`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
