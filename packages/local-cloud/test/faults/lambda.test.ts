/** Function faults in the Lambda runtime: each fails the way the real failure does. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LambdaService } from '../../src/app/lambda/service.js';
import { FaultInjector } from '../../src/faults/plan.js';
import { defineFunction } from '../app/lambda/support.js';

const lines: string[] = [];
const faults = new FaultInjector();
const service = new LambdaService({
  endpoint: 'http://127.0.0.1:1',
  region: 'eu-west-1',
  accountId: '123456789012',
  log: (label, line) => lines.push(`[${label}] ${line}`),
  faults,
});
afterEach(() => faults.clear());
afterAll(() => service.stop());

// Counts its invocations in the worker, and records a side effect before it can be killed.
const counter = (name: string, over = {}) =>
  defineFunction(
    service,
    name,
    {
      'index.mjs': `let n = 0;
        export const handler = async (event) => {
          n++;
          console.log('started ' + n);
          await new Promise((r) => setTimeout(r, event.ms ?? 0));
          return n;
        };`,
    },
    over,
  );

describe('function faults', () => {
  it('handlerError: throws Injected.HandlerError before the handler runs; the worker stays warm', async () => {
    const fn = counter('faultError');
    expect(await fn.invoke({})).toMatchObject({ ok: true, payload: '1' });
    faults.set({ seed: 1, handlerErrorRate: 1 });
    const out = await fn.invoke({});
    expect(out).toMatchObject({
      ok: false,
      error: {
        errorType: 'Injected.HandlerError',
        errorMessage: expect.stringContaining('Injected fault') as unknown,
      },
    });
    expect(
      lines.filter((l) => l.startsWith('[Test/faultError]') && l.includes('started')),
    ).toHaveLength(1);
    expect(
      lines.some((l) => l.includes(`${out.requestId}\tINJECTED FAULT (local/faults) handlerError`)),
    ).toBe(true);
    faults.clear();
    expect(await fn.invoke({})).toMatchObject({ ok: true, payload: '2' }); // same worker
    expect(fn.stats).toMatchObject({ invocations: 3, errors: 1, coldStarts: 1 });
  });

  it('handlerTimeout: hangs until the timeout and fails as Sandbox.Timedout, replacing the worker', async () => {
    const fn = counter('faultTimeout', { timeoutSeconds: 1 });
    expect(await fn.invoke({})).toMatchObject({ ok: true, payload: '1' });
    faults.set({ seed: 1, handlerTimeoutRate: 1 });
    const out = await fn.invoke({});
    expect(out).toMatchObject({
      ok: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 1\.\d\d seconds/) as unknown,
      },
    });
    faults.clear();
    expect(await fn.invoke({})).toMatchObject({ ok: true, payload: '1' }); // a new worker
    expect(fn.stats).toMatchObject({ timeouts: 1, coldStarts: 2 });
  });

  it('killWorker: the handler starts, then the worker exits (Runtime.ExitError) and is replaced', async () => {
    const fn = counter('faultKill');
    faults.set({ seed: 1, killWorkerRate: 1 });
    // A long handler is killed mid-way; a quick one is killed as it ends, before it answers.
    for (const ms of [2_000, 0]) {
      const out = await fn.invoke({ ms });
      expect(out).toMatchObject({
        ok: false,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${out.requestId} Error: Runtime exited with error: exit status 137`,
        },
      });
    }
    expect(
      lines.filter((l) => l.startsWith('[Test/faultKill]') && l.includes('started 1')),
    ).toHaveLength(2);
    faults.clear();
    expect(await fn.invoke({})).toMatchObject({ ok: true, payload: '1' });
    expect(fn.stats).toMatchObject({ errors: 2, coldStarts: 3 });
    expect(faults.stats().killWorker).toBe(2);
  });

  it('only touches the functions the plan names', async () => {
    const named = counter('faultNamed');
    const other = counter('faultOther');
    faults.set({ seed: 1, handlerErrorRate: 1, functions: ['Named'] });
    expect((await named.invoke({})).ok).toBe(false);
    expect((await other.invoke({})).ok).toBe(true);
  });
});
