// @ts-check
/* global process, console, performance, setTimeout */
/**
 * The runtime inside one Lambda worker thread: what AWS's Node.js runtime
 * interface client does in a sandbox, reduced to what a local run needs.
 * Plain JavaScript on purpose: a worker thread runs a file with Node alone,
 * without the TypeScript loader the parent may be running under.
 *
 * Protocol with the parent (local/app/lambda/function.ts):
 *   -> { type: 'ready', initMs } | { type: 'init-error', error }
 *   <- { type: 'invoke', id, event, context, fault? }   (fault: see InjectedFault in function.ts)
 *   -> { type: 'result', id, payload } | { type: 'error', id, error }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { existsSync, statSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

if (!parentPort) throw new Error('bootstrap.mjs runs only as a worker thread');
const port = parentPort;

/** @type {{ taskRoot: string; handler: string; functionName: string; functionArn: string; memorySize: number; logGroupName: string; logStreamName: string; logFormat: string }} */
const config = workerData;

/** The request in progress, for log lines and `getRemainingTimeInMillis`. */
let current = /** @type {{ requestId: string } | undefined} */ (undefined);

patchConsole();

const started = performance.now();
let handler;
try {
  handler = await loadHandler(config.taskRoot, config.handler);
  port.postMessage({ type: 'ready', initMs: performance.now() - started });
} catch (e) {
  port.postMessage({ type: 'init-error', error: toErrorShape(e) });
}

port.on('message', (msg) => {
  if (msg?.type === 'invoke') void invoke(msg);
});

/** @param {{ id: number; event: unknown; context: Record<string, unknown> & { deadlineMs: number; awsRequestId: string; traceId: string }; fault?: { kind: string; afterMs?: number } }} msg */
async function invoke(msg) {
  const { id, event, context: c, fault } = msg;
  current = { requestId: c.awsRequestId };
  process.env['_X_AMZN_TRACE_ID'] = c.traceId;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: c.invokedFunctionArn ?? config.functionArn,
    memoryLimitInMB: String(config.memorySize),
    awsRequestId: c.awsRequestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    identity: undefined,
    clientContext: c.clientContext,
    // Unclamped, as AWS's Node.js runtime answers: negative once past the deadline.
    getRemainingTimeInMillis: () => c.deadlineMs - Date.now(),
    done: () => {},
    succeed: () => {},
    fail: () => {},
  };
  // Fault injection (local/faults), decided by the parent: act it out here so the
  // parent sees what a real crash, hang or exit looks like.
  if (fault?.kind === 'hang') return; // never answers: the parent's timeout ends it
  if (fault?.kind === 'kill') setTimeout(exitMidInvocation, fault.afterMs ?? 0);
  try {
    if (fault?.kind === 'error') throw injectedHandlerError();
    const value = await run(handler, event, context);
    if (fault?.kind === 'kill') return exitMidInvocation(); // the handler beat the timer
    const payload = JSON.stringify(value === undefined ? null : value);
    port.postMessage({ type: 'result', id, payload });
  } catch (e) {
    if (fault?.kind === 'kill') return exitMidInvocation();
    console.error(format('Invoke Error', JSON.stringify(toErrorShape(e))));
    port.postMessage({ type: 'error', id, error: toErrorShape(e) });
  } finally {
    current = undefined;
  }
}

/** An injected crash: the handler is not run, the invocation fails as if it threw. */
function injectedHandlerError() {
  const e = new Error('Injected fault (local/faults): the handler crashed before it ran');
  e.name = 'Injected.HandlerError';
  return e;
}

/** An injected kill: the worker thread exits as a crashed runtime does (Runtime.ExitError). */
function exitMidInvocation() {
  process.exit(137);
}

/** Async handlers, and callback handlers (three parameters) as the Node runtimes up to 22 allow. */
function run(fn, event, context) {
  return new Promise((resolve, reject) => {
    /** @param {unknown} err @param {unknown} value */
    const callback = (err, value) => (err ? reject(err) : resolve(value));
    try {
      const r = fn(event, context, callback);
      if (r && typeof r.then === 'function') r.then(resolve, reject);
      else if (fn.length < 3) resolve(r);
    } catch (e) {
      reject(e);
    }
  });
}

/** `index.handler` -> export `handler` of index.{mjs,js,cjs}, as the AWS runtime resolves it. */
async function loadHandler(taskRoot, handlerString) {
  const dir = dirname(handlerString);
  const base = basename(handlerString);
  const dot = base.indexOf('.');
  if (dot < 0) throw runtimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  const moduleName = join(dir, base.slice(0, dot));
  const path = base.slice(dot + 1).split('.');
  const candidates = ['.mjs', '.js', '.cjs', ''].map((ext) => join(taskRoot, moduleName + ext));
  const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
  if (!file)
    throw runtimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleName}' in ${taskRoot} (looked for .mjs, .js, .cjs)`,
    );
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    const err = /** @type {Error & { code?: string }} */ (e);
    if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND')
      throw runtimeError('Runtime.ImportModuleError', `Error: ${err.message}`);
    throw e;
  }
  const dig = (root) => path.reduce((o, k) => (o == null ? undefined : o[k]), root);
  // A CommonJS bundle's exports may only be reachable through `default`.
  let fn = dig(mod);
  if (fn === undefined && mod.default) fn = dig(mod.default);
  if (fn === undefined)
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof fn !== 'function')
    throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return fn;
}

function runtimeError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** The AWS error shape: { errorType, errorMessage, trace }. */
function toErrorShape(e) {
  if (e instanceof Error) {
    return {
      errorType: e.name || e.constructor?.name || 'Error',
      errorMessage: e.message,
      trace: (e.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof e, errorMessage: String(e), trace: [] };
}

/** console.* as the AWS runtime formats it: time, request id, level, message (or JSON). */
function patchConsole() {
  const out = (/** @type {string} */ level, /** @type {unknown[]} */ args) => {
    const timestamp = new Date().toISOString();
    const requestId = current?.requestId;
    const message = format(...args);
    const line =
      config.logFormat === 'JSON'
        ? JSON.stringify({ timestamp, level, requestId, message })
        : `${timestamp}\t${requestId ?? 'undefined'}\t${level}\t${message}`;
    (level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout).write(`${line}\n`);
  };
  console.log = (...a) => out('INFO', a);
  console.info = (...a) => out('INFO', a);
  console.warn = (...a) => out('WARN', a);
  console.error = (...a) => out('ERROR', a);
  console.debug = (...a) => out('DEBUG', a);
  console.trace = (...a) => out('TRACE', a);
}
