/**
 * A worker child process that speaks the external-trainer protocol over its stdin and stdout.
 * Requests are sent one at a time and each waits for one reply within a timeout. Every
 * failure (exit, timeout, invalid output, an `error` reply) raises a `WorkerError` with the
 * tail of the worker's stderr, and every failure except an `error` reply kills the worker.
 * Live workers are killed when bhive exits or receives SIGINT or SIGTERM.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BhiveError } from '../../errors.js';
import { encodeFrame, FrameDecoder, ProtocolError } from './protocol.js';
import type { Frame, Payload } from './protocol.js';

/** Bytes of the worker's stderr kept for error messages. */
const stderrTailBytes = 4096;

/** A failed worker request; the message ends with the tail of the worker's stderr. */
export class WorkerError extends BhiveError {}

export interface WorkerProcessOptions {
  /** Seconds that one request (including start-up and `hello`) may take before the worker is killed. */
  timeoutSeconds: number;
  /** Working directory of the worker; default the current one. */
  cwd?: string;
  /** Extra environment variables for the worker. */
  env?: Record<string, string>;
}

type Waiter = { resolve: (frame: Frame) => void; reject: (error: Error) => void };

const liveWorkers = new Set<WorkerProcess>();
let handlersInstalled = false;

/**
 * Kill every live worker on exit, and on SIGINT or SIGTERM. When bhive's handler is the only
 * listener of the signal, it re-sends the signal after removing itself, so that the process
 * still ends as it would without the handler.
 */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllWorkers);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAllWorkers();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

function killAllWorkers(): void {
  for (const worker of liveWorkers) worker.kill();
}

export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly decoder = new FrameDecoder();
  private stderrChunks: Buffer[] = [];
  private stderrLength = 0;
  private waiter: Waiter | undefined;
  private failure: WorkerError | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private exited = false;
  private readonly exitPromise: Promise<void>;

  /** Start `command` (program and arguments) with piped stdin, stdout and stderr. */
  constructor(
    readonly command: string[],
    private readonly options: WorkerProcessOptions,
  ) {
    installExitHandlers();
    this.child = spawn(command[0], command.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so that kill() also ends the programs a wrapper command
      // (a shell script, `conda run`, `apptainer exec`) starts.
      detached: true,
    });
    liveWorkers.add(this);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('close', () => resolve());
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk));
    // A write to a worker that has exited raises EPIPE here; the exit handler reports it.
    this.child.stdin?.on('error', () => {});
    this.child.once('error', (error) => {
      this.fail(`could not start the worker '${command.join(' ')}': ${error.message}; check the command or the 'python' option`);
    });
    this.child.once('exit', () => {
      this.exited = true;
      liveWorkers.delete(this);
    });
    // 'close' comes after stdout and stderr have ended, so the error message has the worker's last output.
    this.child.once('close', (code, signal) => this.onExit(code, signal));
  }

  /** Process id of the worker, or undefined when it failed to start. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Return the last bytes that the worker wrote to stderr. */
  stderrTail(): string {
    return Buffer.concat(this.stderrChunks).toString('utf8').slice(-stderrTailBytes);
  }

  /**
   * Send a request and wait for its reply. An `error` reply raises a WorkerError with its
   * message and leaves the worker running; a reply whose type is not `expectedType` is a
   * protocol error.
   */
  request(message: { type: string; [key: string]: unknown }, payloads: Payload[] = [], expectedType?: string): Promise<Frame> {
    const run = async (): Promise<Frame> => {
      if (this.failure !== undefined) throw this.failure;
      const reply = await this.exchange(message, payloads);
      if (reply.message.type === 'error') {
        throw new WorkerError(`worker request '${message.type}' failed: ${String(reply.message.message)}${this.tailText()}`);
      }
      if (expectedType !== undefined && reply.message.type !== expectedType) {
        this.fail(`worker answered '${message.type}' with a '${reply.message.type}' message; expected '${expectedType}'`);
        throw this.failure;
      }
      return reply;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Ask the worker to shut down and wait for it to exit; kill it when it takes longer than `graceSeconds`. */
  async close(graceSeconds = 5): Promise<void> {
    if (!this.exited && this.failure === undefined) {
      this.child.stdin?.write(encodeFrame({ type: 'shutdown' })[0]);
      this.child.stdin?.end();
    }
    const timer = setTimeout(() => this.kill(), graceSeconds * 1000);
    await this.exitPromise;
    clearTimeout(timer);
    liveWorkers.delete(this);
  }

  /** Kill the worker and every process of its group at once with SIGKILL. */
  kill(): void {
    const pid = this.child.pid;
    if (pid !== undefined) {
      try {
        // The group outlives the worker when the worker was a wrapper, so it is killed even after the worker's exit.
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group has no process left.
      }
    }
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    liveWorkers.delete(this);
  }

  private async exchange(message: { type: string; [key: string]: unknown }, payloads: Payload[]): Promise<Frame> {
    const reply = new Promise<Frame>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    // `settled` resolves when the reply arrives or the worker fails. It ends the wait for 'drain'
    // below, and it keeps a failure during the write from counting as an unhandled rejection.
    const settled = reply.then(
      () => undefined,
      () => undefined,
    );
    const timer = setTimeout(() => {
      this.fail(`worker request '${message.type}' timed out after ${this.options.timeoutSeconds} s; raise the model option 'timeoutSeconds' if the worker is just slow`);
    }, this.options.timeoutSeconds * 1000);
    try {
      this.takeFrame();
      for (const buffer of encodeFrame(message, payloads)) {
        if (this.exited || this.child.stdin === null) break;
        if (this.failure !== undefined) break;
        if (!this.child.stdin.write(buffer)) {
          await Promise.race([new Promise<void>((resolve) => this.child.stdin?.once('drain', resolve)), settled]);
        }
      }
      return await reply;
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  private onStdout(chunk: Buffer): void {
    this.decoder.push(chunk);
    this.takeFrame();
  }

  private takeFrame(): void {
    if (this.waiter === undefined || this.failure !== undefined) return;
    let frame: Frame | undefined;
    try {
      frame = this.decoder.next();
    } catch (error) {
      this.fail(error instanceof ProtocolError ? error.message : String(error));
      return;
    }
    if (frame === undefined) return;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter.resolve(frame);
  }

  private onStderr(chunk: Buffer): void {
    this.stderrChunks.push(chunk);
    this.stderrLength += chunk.length;
    while (this.stderrChunks.length > 1 && this.stderrLength - this.stderrChunks[0].length >= stderrTailBytes) {
      this.stderrLength -= this.stderrChunks[0].length;
      this.stderrChunks.shift();
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.failure !== undefined) return;
    const exitDescription = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    const pending = this.decoder.pendingText();
    const extra = pending.length > 0 ? `; unread output: ${JSON.stringify(pending)}` : '';
    this.fail(`worker '${this.command.join(' ')}' ${exitDescription}${extra}`);
  }

  /** Record the first failure, kill the worker and reject the pending request. */
  private fail(reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = new WorkerError(reason + this.tailText());
    this.kill();
    this.waiter?.reject(this.failure);
    this.waiter = undefined;
  }

  private tailText(): string {
    const tail = this.stderrTail().trimEnd();
    return tail.length > 0 ? `\nlast lines of the worker's stderr:\n${tail}` : "\nthe worker wrote nothing to stderr";
  }
}
