/**
 * The chaos runner: its pure parts (script, fault plan, flags, snapshot diff),
 * then a small run on a shop of its own with every fault on and a short
 * provider outage, which must end with zero invariant violations.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, parseChaosArgs } from '../../harness/chaos/cli.js';
import { snapshotChanges } from '../../harness/chaos/cloud.js';
import { ShopHttp } from '../../harness/chaos/http.js';
import { faultPlanOf, resolveOptions } from '../../harness/chaos/options.js';
import { formatReport } from '../../harness/chaos/report.js';
import { runChaos } from '../../harness/chaos/run.js';
import { makeScript } from '../../harness/chaos/script.js';
import { root } from './shop.js';

function io() {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: new PassThrough(),
      env: {},
    },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('the chaos script and options', () => {
  const script = (seed: number) =>
    makeScript({ seed, orders: 200, runTag: 'T', declineTokenShare: 0.1 });

  it('the same seed gives the same script; another seed another one', () => {
    expect(script(5)).toEqual(script(5));
    expect(script(6).tasks).not.toEqual(script(5).tasks);
  });

  it('mixes what a chaos run needs: declines, duplicates, every cancel moment, carriers, restocks', () => {
    const tasks = script(5).tasks;
    const orders = tasks.filter((t) => t.kind === 'order');
    expect(orders).toHaveLength(200);
    expect(new Set(orders.map((o) => o.idempotencyKey)).size).toBe(200);
    expect(orders.some((o) => o.paymentToken === 'tok_decline')).toBe(true);
    expect(orders.some((o) => o.concurrentDuplicates > 0)).toBe(true);
    expect(new Set(orders.map((o) => o.cancel))).toEqual(
      new Set(['none', 'immediately', 'while-pending', 'after-confirm', 'racing-dispatch']),
    );
    expect(new Set(orders.map((o) => o.carrier))).toEqual(new Set(['none', 'dispatch', 'deliver']));
    const restocks = tasks.filter((t) => t.kind === 'restock');
    const scarce = script(5).products.filter((p) => p.scarce);
    expect(restocks.length).toBeGreaterThan(5);
    expect(restocks.every((r) => scarce.some((p) => p.sku === r.sku))).toBe(true);
    for (const o of orders) {
      expect(new Set(o.lines.map((l) => l.sku)).size).toBe(o.lines.length);
    }
    // Orders are placed by the demo customers, both of them; never by the operator.
    expect(new Set(orders.map((o) => o.customer))).toEqual(new Set(['ada', 'grace']));
  });

  it('the client retries a 429 with the same key and token after a backoff, and counts it', async () => {
    const seen: { authorization?: string; key?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({
        authorization: req.headers.authorization,
        key: req.headers['idempotency-key'] as string,
      });
      const throttled = seen.length <= 2;
      res.writeHead(throttled ? 429 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify(throttled ? { message: 'Too Many Requests' } : { orderId: 'ord_1' }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const signIn = {
        token: async (user: string) => `token-of-${user}`,
        subjectOf: async (user: string) => `sub-of-${user}`,
      };
      const http = new ShopHttp(
        `http://127.0.0.1:${port}`,
        { attempts: 5, timeoutMs: 5000 },
        signIn,
      );
      const reply = await http.as('grace').call('POST', '/orders', {}, { 'idempotency-key': 'k1' });
      expect(reply.status).toBe(202);
      expect(seen).toEqual(Array(3).fill({ authorization: 'Bearer token-of-grace', key: 'k1' }));
      expect(http.stats).toMatchObject({ calls: 1, retried: 1, failedAttempts: 2, throttled: 2 });
      await http.anonymous().call('GET', '/products/X');
      expect(seen[3]?.authorization).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('splits the handler fault rate 70/20/10 between errors, timeouts and kills', () => {
    const plan = faultPlanOf(resolveOptions({ handlerFaultRate: 0.2 }), 9);
    expect(plan).toMatchObject({
      seed: 9,
      handlerErrorRate: 0.14,
      handlerTimeoutRate: 0.04,
      killWorkerRate: 0.02,
      duplicateRate: 0.1,
      reorderMaxDelayMs: 2000,
      putEventsThrottleRate: 0.05,
    });
    const explicit = faultPlanOf(resolveOptions({ handlerFaultRate: 0.1, killRate: 0.05 }), 1);
    expect(explicit.killWorkerRate).toBe(0.05);
    expect(explicit.handlerErrorRate + explicit.handlerTimeoutRate).toBeCloseTo(0.1);
  });

  it('checks options and flags, naming the one at fault', () => {
    expect(() => resolveOptions({ duplicateRate: 2 })).toThrow(
      /duplicateRate .* from 0 to 1; received 2/,
    );
    expect(() => parseChaosArgs(['--orders', 'many'])).toThrow(/--orders must be a whole number/);
    expect(() => parseChaosArgs(['--handler-fault-rate', '1.5'])).toThrow(/--handler-fault-rate/);
    expect(() => parseChaosArgs(['--api-url', 'http://x'])).toThrow(/give its --endpoint/);
    expect(
      parseChaosArgs(['--orders', '12', '--endpoint', 'http://127.0.0.1:4566/']),
    ).toMatchObject({
      orders: 12,
      target: {
        endpoint: 'http://127.0.0.1:4566',
        apiUrl: 'http://127.0.0.1:3000',
        providerUrl: 'http://127.0.0.1:4010',
      },
    });
  });

  it('main prints help, and exits 2 on a bad flag', async () => {
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out()).toMatch(/--orders N/);
    const bad = io();
    expect(await main(['--concurrency', '0'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--concurrency must be 1 or more/);
  });

  it('a snapshot diff names what was added, changed and removed', () => {
    const before = {
      t: new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    };
    const after = {
      t: new Map([
        ['a', '1'],
        ['b', '3'],
        ['c', '4'],
      ]),
      u: new Map(),
    };
    expect(snapshotChanges(before, after).sort()).toEqual(['t: added c', 't: changed b']);
    expect(snapshotChanges(after, before)).toContain('t: removed c');
  });
});

describe('a small chaos run', () => {
  // About 2.5 minutes here; a CI machine has taken twice that. Each phase has its own deadline
  // (settle, replay) that fails with a report naming it; this is only the outer bound.
  it('40 orders, 8 shoppers, every fault on and a 3 s outage: no invariant violated', async () => {
    const report = await runChaos({
      orders: 40,
      concurrency: 8,
      seed: 11,
      outageSeconds: 3,
      visibilitySeconds: 5,
      cdkOut: join(root, '.local', 'cdk.out.chaos-test'),
      timing: {
        quietMs: 2500,
        followUpTimeoutMs: 15_000,
        settleTimeoutMs: 90_000,
        replayTimeoutMs: 60_000,
      },
    });
    const table = formatReport(report);
    expect(report.violations, table).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.orders.accepted).toBe(40);
    expect(report.orders.lost + report.orders.unsettled).toBe(0);
    // The faults really happened, and the replay really replayed.
    const injected = report.faults?.injected;
    expect(injected, table).toBeDefined();
    expect(
      injected!.handlerError + injected!.handlerTimeout + injected!.killWorker,
    ).toBeGreaterThan(0);
    expect(injected!.duplicate).toBeGreaterThan(0);
    expect(report.http.retried, table).toBeGreaterThan(0);
    expect(report.replay?.events).toBeGreaterThan(100);
    expect(report.replay?.stateChanges).toBe(0);
    expect(table).toMatch(/throttled \(retried\)\s+\d+ answers 429/);
    expect(table).toMatch(/result\s+OK/);
  }, 600_000);
});
