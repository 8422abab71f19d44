/**
 * The functions of the running app, found by name or ARN as Lambda's API
 * finds them (name, full or partial ARN, with or without a qualifier).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalFunction,
  type FunctionConfig,
  type InvokeOutcome,
  type RuntimeOptions,
} from './function.js';
import { defaultRuntimeModules, prepareTaskRoot, type TaskRootSource } from './task-root.js';

export interface LambdaServiceOptions extends Omit<RuntimeOptions, 'defaultConcurrency'> {
  /** Concurrency of a function that reserves none (default 5): a local machine is not a fleet. */
  readonly defaultConcurrency?: number;
  /** Modules the runtime provides (default: this project's node_modules, which holds the AWS SDK v3). */
  readonly runtimeModules?: string;
  /** Retries of a failed asynchronous (Event) invocation; AWS makes 2 (default 2). */
  readonly asyncRetries?: number;
  /** Delay before each asynchronous retry, in ms (AWS: about 1 and 2 minutes; default 1000). */
  readonly asyncRetryDelayMs?: number;
}

export type FunctionDefinition = Omit<FunctionConfig, 'taskRoot'> & {
  readonly code: TaskRootSource;
};

export class LambdaService {
  private readonly byName = new Map<string, LocalFunction>();
  private readonly root = mkdtempSync(join(tmpdir(), 'local-lambda-'));
  private readonly runtimeModules: string;
  private readonly pendingAsync = new Set<Promise<void>>();
  private stopped = false;

  constructor(readonly options: LambdaServiceOptions) {
    this.runtimeModules = options.runtimeModules ?? defaultRuntimeModules();
  }

  get region(): string {
    return this.options.region;
  }
  get accountId(): string {
    return this.options.accountId;
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${name}`;
  }

  register(def: FunctionDefinition): LocalFunction {
    if (this.byName.has(def.functionName))
      throw new Error(
        `a function named ${def.functionName} already exists (${def.logicalId} in ${def.stackName})`,
      );
    const { code, ...config } = def;
    const taskRoot = prepareTaskRoot(join(this.root, def.functionName), code, this.runtimeModules);
    const fn = new LocalFunction(
      { ...config, taskRoot },
      {
        endpoint: this.options.endpoint,
        region: this.options.region,
        accountId: this.options.accountId,
        defaultConcurrency: this.options.defaultConcurrency ?? 5,
        log: this.options.log,
        logs: this.options.logs,
        onInvocation: this.options.onInvocation,
        faults: this.options.faults,
      },
    );
    this.byName.set(def.functionName, fn);
    return fn;
  }

  /** By name, `name:qualifier`, full ARN or partial ARN (`123456789012:function:name`). */
  find(ref: string): LocalFunction | undefined {
    const m = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([^:]+)(?::[^:]+)?$/.exec(
      ref,
    );
    return m ? this.byName.get(m[1]!) : undefined;
  }

  list(): LocalFunction[] {
    return [...this.byName.values()];
  }

  /**
   * An asynchronous (Event) invocation: queued, run in the background, retried
   * on error like Lambda's async invoke (with shorter delays); failures are logged.
   */
  invokeAsync(fn: LocalFunction, event: unknown): void {
    const retries = this.options.asyncRetries ?? 2;
    const delay = this.options.asyncRetryDelayMs ?? 1000;
    const run = async () => {
      for (let attempt = 0; attempt <= retries && !this.stopped; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, delay * attempt));
        let outcome: InvokeOutcome;
        try {
          outcome = await fn.invoke(event, { wait: true });
        } catch (e) {
          if (this.stopped) return;
          this.options.log(fn.config.label, `async invocation failed: ${(e as Error).message}`);
          continue;
        }
        if (outcome.ok) return;
        this.options.log(
          fn.config.label,
          `async invocation ${outcome.requestId} failed (attempt ${attempt + 1} of ${retries + 1}): ` +
            `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
        );
      }
    };
    const p = run().finally(() => this.pendingAsync.delete(p));
    this.pendingAsync.add(p);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.list().map((f) => f.stop()));
    await Promise.allSettled([...this.pendingAsync]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
