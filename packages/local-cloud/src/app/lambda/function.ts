/**
 * One Lambda function: its bundled code run in `node:worker_threads` workers
 * of its own, like Lambda runs it in sandboxes. Warm workers are reused; a
 * new one is a cold start. The timeout, memory and concurrency settings of
 * the template are enforced; a timed-out worker is terminated and replaced.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FaultInjector } from '../../faults/plan.js';
import {
  correlationIdOf,
  endLine,
  reportLine,
  startLine,
  type InvocationOutcome,
  type InvocationSummary,
  type LogSink,
} from './invocation-log.js';
import { Sandbox, type InjectedFault, type LambdaErrorShape } from './sandbox.js';

export type { InjectedFault, LambdaErrorShape } from './sandbox.js';
export type { InvocationSummary, LogSink } from './invocation-log.js';

export interface FunctionConfig {
  /** The template's logical id. */
  readonly logicalId: string;
  readonly stackName: string;
  /** Short label for log lines, e.g. the construct path `OrdersService/PlaceOrder`. */
  readonly label: string;
  readonly functionName: string;
  readonly functionArn: string;
  /** `index.handler`. */
  readonly handler: string;
  readonly runtime: string;
  /** The folder the code runs from (a copy of the asset, see task-root.ts). */
  readonly taskRoot: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The environment from the template, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** `ReservedConcurrentExecutions`: invocations above it are throttled, as in AWS. */
  readonly reservedConcurrency?: number;
  /** `LoggingConfig.LogFormat`: 'Text' (default) or 'JSON'. */
  readonly logFormat?: string;
  /**
   * `LoggingConfig.SystemLogLevel` (JSON format only, as in AWS): at WARN the service writes no
   * START / END / REPORT records, which are INFO. Default INFO.
   */
  readonly systemLogLevel?: string;
  /** `LoggingConfig.LogGroup`; default `/aws/lambda/<functionName>`. */
  readonly logGroupName?: string;
  /** The function's own access key id (maps to its role on the edge); default 'local' (admin). */
  readonly accessKeyId?: string;
}

export type InvokeOutcome =
  | { readonly ok: true; readonly requestId: string; readonly payload: string }
  | { readonly ok: false; readonly requestId: string; readonly error: LambdaErrorShape };

/** Thrown by `invoke` when reserved concurrency is exhausted (AWS: TooManyRequestsException). */
export class ThrottledError extends Error {
  override name = 'TooManyRequestsException';
  readonly reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor(functionName: string, limit: number) {
    super(
      `Rate Exceeded. ${functionName} has reserved concurrency ${limit} and all of it is in use.`,
    );
  }
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  errors: number;
  timeouts: number;
  throttles: number;
  /** Invocations running now. */
  active: number;
  /** Warm workers waiting for work. */
  idle: number;
}

export interface RuntimeOptions {
  /** The edge URL, given to the code as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Concurrency when the function reserves none; excess invocations wait for a worker. */
  readonly defaultConcurrency: number;
  /** Where the function's console output goes (also written to `logs`). */
  readonly log: (label: string, line: string) => void;
  /** CloudWatch Logs: each worker's output in a stream of the function's log group, with START/END/REPORT. */
  readonly logs?: LogSink;
  /** Called once per finished invocation (ok, error or timeout), after its log lines. */
  readonly onInvocation?: (summary: InvocationSummary) => void;
  /** Fault injection (local/faults): handler errors, timeouts and killed workers. */
  readonly faults?: FaultInjector;
}

/** AWS gives the init phase 10 s of its own. */
const INIT_TIMEOUT_MS = 10_000;

export class LocalFunction {
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private stopped = false;
  readonly stats: FunctionStats = {
    invocations: 0,
    coldStarts: 0,
    errors: 0,
    timeouts: 0,
    throttles: 0,
    active: 0,
    idle: 0,
  };

  /** Correlation ids seen in the lines of the invocation each sandbox is running. */
  private readonly correlation = new Map<Sandbox, string | undefined>();

  constructor(
    readonly config: FunctionConfig,
    readonly options: RuntimeOptions,
  ) {
    // Lambda creates the group on the first write; creating it at load lets it be listed at once.
    options.logs?.group(this.logGroupName);
  }

  get logGroupName(): string {
    return this.config.logGroupName ?? `/aws/lambda/${this.config.functionName}`;
  }

  private get logFormat(): string {
    return this.config.logFormat ?? 'Text';
  }

  /** A line the function wrote: to its log stream and the console. */
  private onLine(sandbox: Sandbox, line: string): void {
    this.options.logs?.append(this.logGroupName, sandbox.logStreamName, line);
    if (this.correlation.has(sandbox) && this.correlation.get(sandbox) === undefined) {
      const id = correlationIdOf(line);
      if (id) this.correlation.set(sandbox, id);
    }
    this.options.log(this.config.label, line);
  }

  /**
   * Whether the service writes its INFO records (START, END, REPORT): always in Text format;
   * in JSON format unless `SystemLogLevel` is above INFO.
   */
  private get platformInfo(): boolean {
    const level = this.config.systemLogLevel ?? 'INFO';
    return this.logFormat !== 'JSON' || level === 'INFO' || level === 'DEBUG';
  }

  /** A line the Lambda service writes to the stream (START, END, REPORT): not the function's output. */
  private platformLine(sandbox: Sandbox, line: string): void {
    if (!this.platformInfo) return;
    this.options.logs?.append(this.logGroupName, sandbox.logStreamName, line);
  }

  /** A line of the service the developer should see too (timeouts, init errors, injected faults). */
  private serviceLine(sandbox: Sandbox, line: string): void {
    this.options.logs?.append(this.logGroupName, sandbox.logStreamName, line);
    if (!this.stopped) this.options.log(this.config.label, line);
  }

  /** At most this many invocations run at once. */
  get concurrency(): number {
    return this.config.reservedConcurrency ?? this.options.defaultConcurrency;
  }

  /**
   * Runs one invocation. Resolves with the handler's JSON result or the AWS
   * error shape; rejects only with ThrottledError (reserved concurrency in use,
   * when `wait` is false) or when the function was stopped.
   */
  async invoke(
    event: unknown,
    opts: { wait?: boolean; clientContext?: unknown; invokedArn?: string } = {},
  ): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    await this.acquire(opts.wait ?? this.config.reservedConcurrency === undefined);
    this.stats.invocations++;
    this.stats.active = this.running;
    try {
      const outcome = await this.runOnce(requestId, event, opts);
      if (!outcome.ok) this.stats.errors++;
      return outcome;
    } finally {
      this.release();
    }
  }

  private async acquire(wait: boolean): Promise<void> {
    if (this.stopped) throw new Error(`function ${this.config.functionName} is stopped`);
    if (this.running < this.concurrency) {
      this.running++;
      return;
    }
    if (!wait) {
      this.stats.throttles++;
      throw new ThrottledError(this.config.functionName, this.concurrency);
    }
    await new Promise<void>((r) => this.waiting.push(r));
    if (this.stopped) throw new Error(`function ${this.config.functionName} is stopped`);
    // The releasing invocation handed its slot over: `running` is unchanged.
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
    this.stats.active = this.running;
    this.stats.idle = this.idle.length;
  }

  private async runOnce(
    requestId: string,
    event: unknown,
    opts: { clientContext?: unknown; invokedArn?: string },
  ): Promise<InvokeOutcome> {
    let sandbox = this.idle.pop();
    while (sandbox?.dead) sandbox = this.idle.pop();
    const coldStart = !sandbox;
    if (!sandbox) {
      sandbox = this.spawn();
      this.stats.coldStarts++;
      const initError = await withTimeout(sandbox.ready, INIT_TIMEOUT_MS, {
        errorType: 'Runtime.InitTimeout',
        errorMessage: `Init phase did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`,
      });
      if (initError) {
        this.serviceLine(
          sandbox,
          `INIT_REPORT error: ${initError.errorType}: ${initError.errorMessage}`,
        );
        await this.discard(sandbox);
        this.summarize({ requestId, durationMs: 0, coldStart, outcome: 'error', error: initError });
        return { ok: false, requestId, error: initError };
      }
    }
    const timeoutMs = this.config.timeoutSeconds * 1000;
    const started = Date.now();
    const context = {
      awsRequestId: requestId,
      deadlineMs: started + timeoutMs,
      invokedFunctionArn: opts.invokedArn ?? this.config.functionArn,
      clientContext: opts.clientContext,
      traceId: traceHeader(),
    };
    this.correlation.set(sandbox, undefined);
    this.platformLine(sandbox, startLine(this.logFormat, requestId));
    // Fault injection (local/faults): the worker acts the fault out, so the
    // failure takes the same path as a real one (error, timeout, exit).
    const fault = this.options.faults?.enabled() ? this.drawFault(sandbox, requestId) : undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), timeoutMs)),
    );
    const result = await Promise.race([sandbox.run(event, context, fault), timedOut]);
    clearTimeout(timer);
    const durationMs = Date.now() - started;
    const finish = (outcome: InvocationOutcome, error?: LambdaErrorShape) => {
      this.platformLine(sandbox, endLine(this.logFormat, requestId, outcome));
      this.platformLine(
        sandbox,
        reportLine(this.logFormat, requestId, {
          durationMs,
          memorySizeMB: this.config.memorySize,
          maxMemoryUsedMB: Math.ceil(
            process.memoryUsage().rss / 2 ** 20 / Math.max(1, this.all.size),
          ),
          ...(coldStart && sandbox.initMs !== undefined && { initDurationMs: sandbox.initMs }),
        }),
      );
      this.summarize({ requestId, durationMs, coldStart, outcome, error, sandbox });
    };
    if (result === 'timeout') {
      this.stats.timeouts++;
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      this.serviceLine(
        sandbox,
        `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`,
      );
      const error = {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
      };
      finish('timeout', error);
      await this.discard(sandbox);
      return { ok: false, requestId, error };
    }
    if (sandbox.dead) await this.discard(sandbox);
    else if (this.stopped) await sandbox.terminate();
    else this.idle.push(sandbox);
    if (result.kind === 'result') {
      finish('ok');
      return { ok: true, requestId, payload: result.payload };
    }
    // Errors of the runtime itself name the request, as AWS's do.
    const error = result.error.errorType.startsWith('Runtime.')
      ? {
          ...result.error,
          errorMessage: `RequestId: ${requestId} Error: ${result.error.errorMessage}`,
        }
      : result.error;
    finish('error', error);
    return { ok: false, requestId, error };
  }

  private summarize(s: {
    requestId: string;
    durationMs: number;
    coldStart: boolean;
    outcome: InvocationOutcome;
    error?: LambdaErrorShape;
    sandbox?: Sandbox;
  }): void {
    const correlationId = s.sandbox ? this.correlation.get(s.sandbox) : undefined;
    if (s.sandbox) this.correlation.delete(s.sandbox);
    if (this.stopped) return;
    this.options.onInvocation?.({
      label: this.config.label,
      functionName: this.config.functionName,
      requestId: s.requestId,
      durationMs: s.durationMs,
      outcome: s.outcome,
      coldStart: s.coldStart,
      ...(s.error && { error: `${s.error.errorType}: ${s.error.errorMessage}` }),
      ...(correlationId && { correlationId }),
    });
  }

  /** At most one fault per invocation; each kind draws only if the ones before it did not hit. */
  private drawFault(sandbox: Sandbox, requestId: string): InjectedFault | undefined {
    const faults = this.options.faults!;
    const subject = `${this.config.functionName}\n${this.config.label}`;
    let fault: InjectedFault | undefined;
    if (faults.roll('handlerError', subject)) fault = { kind: 'error' };
    else if (faults.roll('handlerTimeout', subject)) fault = { kind: 'hang' };
    else if (faults.roll('killWorker', subject))
      fault = { kind: 'kill', afterMs: faults.killAfterMs(this.config.timeoutSeconds * 500) };
    if (fault) {
      const what =
        fault.kind === 'error'
          ? 'handlerError: Injected.HandlerError thrown before the handler runs'
          : fault.kind === 'hang'
            ? `handlerTimeout: the invocation hangs until the ${this.config.timeoutSeconds} s timeout`
            : `killWorker: the worker exits ${fault.afterMs} ms after the handler starts (or as it ends)`;
      this.serviceLine(
        sandbox,
        `${new Date().toISOString()}\t${requestId}\tINJECTED FAULT (local/faults) ${what}`,
      );
    }
    return fault;
  }

  private spawn(): Sandbox {
    const c = this.config;
    const o = this.options;
    // One stream per sandbox, named as Lambda names them.
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      NODE_OPTIONS: '',
      LAMBDA_TASK_ROOT: c.taskRoot,
      LAMBDA_RUNTIME_DIR: c.taskRoot,
      AWS_EXECUTION_ENV: `AWS_Lambda_${c.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: c.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: this.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: o.region,
      AWS_DEFAULT_REGION: o.region,
      AWS_ACCESS_KEY_ID: c.accessKeyId ?? 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL: o.endpoint,
      _HANDLER: c.handler,
      ...(c.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
      ...c.environment,
    };
    const sandbox = new Sandbox(
      {
        taskRoot: c.taskRoot,
        handler: c.handler,
        functionName: c.functionName,
        functionArn: c.functionArn,
        memorySize: c.memorySize,
        logGroupName: this.logGroupName,
        logStreamName,
        logFormat: this.logFormat,
      },
      env,
      (sb, line) => this.onLine(sb, line),
    );
    this.all.add(sandbox);
    return sandbox;
  }

  private async discard(sandbox: Sandbox): Promise<void> {
    this.all.delete(sandbox);
    await sandbox.terminate().catch(() => undefined);
  }

  /** Terminates every worker; waiting invocations are rejected. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w();
    const all = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(all.map((s) => s.terminate().catch(() => undefined)));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((r) => (timer = setTimeout(() => r(onTimeout), ms))),
  ]);
}

/** An X-Ray trace header, unsampled so no tracer tries to send segments. */
function traceHeader(): string {
  const time = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${time}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
