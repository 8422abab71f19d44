/**
 * One sandbox: a worker thread running bootstrap.mjs, and the invocation it
 * is running, if any. Its stdout and stderr are read line by line, as
 * Lambda's runtime captures a sandbox's output into its log stream.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';

/** The AWS error shape a failed invocation returns. */
export interface LambdaErrorShape {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/**
 * A fault the worker acts out (bootstrap.mjs): `error` throws before the
 * handler runs, `hang` never answers (the timeout ends it), `kill` runs the
 * handler and exits the worker `afterMs` later, or as the handler ends if that
 * is sooner, so its answer is never returned.
 */
export type InjectedFault =
  | { readonly kind: 'error' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'kill'; readonly afterMs: number };

export type RunResult =
  | { readonly kind: 'result'; readonly payload: string }
  | { readonly kind: 'error'; readonly error: LambdaErrorShape };

/** What the worker is started with (bootstrap.mjs reads it as workerData). */
export interface SandboxSpec {
  readonly taskRoot: string;
  readonly handler: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memorySize: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly logFormat: string;
}

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

export class Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<LambdaErrorShape | undefined>;
  /** When the init phase ended (for REPORT's Init Duration), ms since the epoch. */
  initMs: number | undefined;
  private pending: { id: number; resolve(r: RunResult): void } | undefined;
  private nextId = 1;
  dead = false;

  constructor(
    readonly spec: SandboxSpec,
    env: Record<string, string>,
    onLine: (sandbox: Sandbox, line: string) => void,
  ) {
    const started = Date.now();
    this.worker = new Worker(BOOTSTRAP, {
      env,
      workerData: spec,
      resourceLimits: { maxOldGenerationSizeMb: spec.memorySize },
      stdout: true,
      stderr: true,
      execArgv: [],
    });
    pipe(this.worker.stdout, (l) => onLine(this, l));
    pipe(this.worker.stderr, (l) => onLine(this, l));
    this.ready = new Promise((resolve) => {
      const onMessage = (m: { type: string; error?: LambdaErrorShape }) => {
        if (m.type === 'ready') {
          this.initMs = Date.now() - started;
          resolve(undefined);
        } else if (m.type === 'init-error') resolve(m.error);
        else if (m.type === 'result' || m.type === 'error') this.settle(m);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', (e: Error & { code?: string }) => {
        const error = workerFailure(e);
        resolve(error);
        this.fail(error);
      });
      this.worker.on('exit', (code) => {
        const error = {
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited with error: exit status ${code}`,
        };
        resolve(error);
        this.fail(error);
      });
    });
  }

  get logStreamName(): string {
    return this.spec.logStreamName;
  }

  run(event: unknown, context: Record<string, unknown>, fault?: InjectedFault): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.worker.postMessage({ type: 'invoke', id, event, context, fault });
    });
  }

  private settle(m: { type: string; id?: number; payload?: string; error?: LambdaErrorShape }) {
    if (!this.pending || this.pending.id !== m.id) return;
    const { resolve } = this.pending;
    this.pending = undefined;
    // The worker's output travels on another channel than its answer: let the
    // lines it wrote before answering arrive first, so they land in this invocation.
    setImmediate(() => {
      if (m.type === 'result') resolve({ kind: 'result', payload: m.payload ?? 'null' });
      else resolve({ kind: 'error', error: m.error! });
    });
  }

  private fail(error: LambdaErrorShape) {
    this.dead = true;
    const p = this.pending;
    this.pending = undefined;
    p?.resolve({ kind: 'error', error });
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

function workerFailure(e: Error & { code?: string }): LambdaErrorShape {
  if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'Runtime exited with error: signal: killed',
    };
  return {
    errorType: e.name || 'Error',
    errorMessage: e.message,
    trace: (e.stack ?? '').split('\n'),
  };
}

function pipe(stream: Readable | null | undefined, line: (l: string) => void) {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', line);
}
