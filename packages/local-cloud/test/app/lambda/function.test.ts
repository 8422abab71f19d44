/** The Lambda runtime: workers, handler resolution, errors, timeouts, concurrency, logs. */
import { afterAll, describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../src/app/lambda/function.js';
import { LambdaService } from '../../../src/app/lambda/service.js';
import { defineFunction } from './support.js';

const lines: string[] = [];
const service = new LambdaService({
  endpoint: 'http://127.0.0.1:1',
  region: 'eu-west-1',
  accountId: '123456789012',
  log: (label, line) => lines.push(`[${label}] ${line}`),
  defaultConcurrency: 2,
});
afterAll(() => service.stop());

const ok = (o: { ok: boolean; payload?: string }) => {
  if (!o.ok) throw new Error(`invocation failed: ${JSON.stringify(o)}`);
  return JSON.parse(o.payload!) as Record<string, unknown>;
};

describe('LocalFunction', () => {
  it('runs an ESM handler with the Lambda environment and context', async () => {
    const fn = defineFunction(
      service,
      'env',
      {
        'index.mjs': `export const handler = async (event, context) => ({
          event,
          env: {
            region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL, name: process.env.AWS_LAMBDA_FUNCTION_NAME,
            memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, key: process.env.AWS_ACCESS_KEY_ID, own: process.env.OWN,
            parentLeak: process.env.HOME === undefined ? 'none' : 'leaked',
          },
          context: { fn: context.functionName, arn: context.invokedFunctionArn, mem: context.memoryLimitInMB,
            id: context.awsRequestId, left: context.getRemainingTimeInMillis() },
        });`,
      },
      { environment: { OWN: 'yes' }, memorySize: 192 },
    );
    const out = await fn.invoke({ hello: 'world' });
    const body = ok(out);
    expect(body['event']).toEqual({ hello: 'world' });
    expect(body['env']).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      name: 'env',
      memory: '192',
      key: 'local',
      own: 'yes',
      parentLeak: 'none',
    });
    expect(body['context']).toMatchObject({
      fn: 'env',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:env',
      mem: '192',
      id: out.requestId,
    });
    expect((body['context'] as { left: number }).left).toBeGreaterThan(2000);
  });

  it('reuses a warm worker and counts cold starts', async () => {
    const fn = defineFunction(service, 'warm', {
      'index.mjs': 'let n = 0; export const handler = async () => ++n;',
    });
    expect(ok(await fn.invoke({}))).toBe(1);
    expect(ok(await fn.invoke({}))).toBe(2);
    expect(fn.stats).toMatchObject({ invocations: 2, coldStarts: 1 });
  });

  it('runs CommonJS and callback handlers, and nested handler paths', async () => {
    const cjs = defineFunction(
      service,
      'cjs',
      {
        'src/app.js':
          'exports.handlers = { main: (event, context, callback) => callback(null, { got: event.x }) };',
      },
      { handler: 'src/app.handlers.main' },
    );
    expect(ok(await cjs.invoke({ x: 1 }))).toEqual({ got: 1 });
  });

  it('returns the AWS error shape for thrown errors and init failures', async () => {
    const thrower = defineFunction(service, 'thrower', {
      'index.mjs':
        'export const handler = async () => { class OrderRejected extends Error { name = "OrderRejected" }; throw new OrderRejected("no stock"); };',
    });
    const out = await thrower.invoke({});
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error).toMatchObject({ errorType: 'OrderRejected', errorMessage: 'no stock' });
      expect(out.error.trace?.[0]).toContain('OrderRejected: no stock');
    }
    const missing = defineFunction(service, 'missing', { 'other.mjs': '' });
    expect(await missing.invoke({})).toMatchObject({
      ok: false,
      error: { errorType: 'Runtime.ImportModuleError' },
    });
    const noHandler = defineFunction(service, 'nohandler', {
      'index.mjs': 'export const other = 1;',
    });
    expect(await noHandler.invoke({})).toMatchObject({
      ok: false,
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'index.handler is undefined or not exported',
      },
    });
    const broken = defineFunction(service, 'broken', {
      'index.mjs': 'throw new RangeError("bad init");',
    });
    expect(await broken.invoke({})).toMatchObject({
      ok: false,
      error: { errorType: 'RangeError', errorMessage: 'bad init' },
    });
  });

  it('times out like AWS, terminating the worker, and starts a fresh one next time', async () => {
    const fn = defineFunction(
      service,
      'sleepy',
      {
        'index.mjs':
          'let calls = 0; export const handler = async (e) => { calls++; await new Promise((r) => setTimeout(r, e.ms)); return calls; };',
      },
      { timeoutSeconds: 1 },
    );
    const out = await fn.invoke({ ms: 5000 });
    expect(out).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    if (!out.ok)
      expect(out.error.errorMessage).toMatch(
        /^RequestId: \S+ Error: Task timed out after 1\.\d\d seconds$/,
      );
    expect(ok(await fn.invoke({ ms: 0 }))).toBe(1); // a new worker: the state of the old one is gone
    expect(fn.stats).toMatchObject({ timeouts: 1, coldStarts: 2 });
    expect(
      lines.some((l) => /^\[Test\/sleepy\] \S+ \S+ Task timed out after 1\.\d\d seconds$/.test(l)),
    ).toBe(true);
  });

  it('limits concurrency: waits by default, throttles at reserved concurrency', async () => {
    const code = {
      'index.mjs':
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return Date.now(); };',
    };
    const pooled = defineFunction(service, 'pooled', code);
    const results = await Promise.all([1, 2, 3].map(() => pooled.invoke({})));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(pooled.stats.coldStarts).toBe(2); // defaultConcurrency 2: the third waited for a warm worker

    const reserved = defineFunction(service, 'reserved', code, { reservedConcurrency: 1 });
    const [a, b] = await Promise.allSettled([reserved.invoke({}), reserved.invoke({})]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(ThrottledError);
    expect(reserved.stats.throttles).toBe(1);
  });

  it('streams console output with the function label, request id and level', async () => {
    const fn = defineFunction(service, 'logger', {
      'index.mjs':
        'export const handler = async () => { console.log("hello %s", "there"); console.error("oops"); return null; };',
    });
    const out = await fn.invoke({});
    await new Promise((r) => setTimeout(r, 100)); // worker stdout is piped asynchronously
    expect(
      lines.some(
        (l) =>
          l.startsWith('[Test/logger] ') && l.endsWith(`\t${out.requestId}\tINFO\thello there`),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.endsWith(`\t${out.requestId}\tERROR\toops`))).toBe(true);
  });

  it('sizes the heap from MemorySize', async () => {
    const fn = defineFunction(
      service,
      'heap',
      {
        'index.mjs':
          'import v8 from "node:v8"; export const handler = async () => v8.getHeapStatistics().heap_size_limit / 1048576;',
      },
      { memorySize: 256 },
    );
    const limit = ok(await fn.invoke({})) as unknown as number;
    expect(limit).toBeGreaterThanOrEqual(256);
    expect(limit).toBeLessThan(512);
  });

  it('fails an invocation that runs out of memory and replaces the worker', async () => {
    const fn = defineFunction(
      service,
      'hungry',
      {
        'index.mjs':
          'export const handler = async () => { const a = []; for (;;) a.push(new Array(100000).fill(Math.random())); };',
      },
      { memorySize: 64 },
    );
    const out = await fn.invoke({});
    expect(out).toMatchObject({ ok: false, error: { errorType: 'Runtime.OutOfMemory' } });
    if (!out.ok)
      expect(out.error.errorMessage).toBe(
        `RequestId: ${out.requestId} Error: Runtime exited with error: signal: killed`,
      );
    await fn.invoke({});
    expect(fn.stats.coldStarts).toBe(2);
  });

  it('finds functions by name, ARN, partial ARN and qualified name', () => {
    const arn = service.functionArn('warm');
    for (const ref of ['warm', arn, `${arn}:$LATEST`, '123456789012:function:warm', 'warm:live'])
      expect(service.find(ref)?.config.functionName).toBe('warm');
    expect(service.find('nope')).toBeUndefined();
  });
});
