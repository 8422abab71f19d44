/** Shared set-up of the app loader's end-to-end tests: the fixture app synthesized, a local cloud. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud.js';
import { createEventBridge } from '../../../local/eventbridge/service.js';
import { synthFixtureApp } from '../../fixtures/app/app.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/app');

/** A hash of the fixture's sources and the CDK version: same hash, same assembly. */
function fixtureHash(): string {
  const h = createHash('sha256');
  const files = [
    'app.ts',
    ...readdirSync(join(fixtureDir, 'functions')).map((f) => `functions/${f}`),
  ];
  for (const f of files.sort()) h.update(f).update(readFileSync(join(fixtureDir, f)));
  const cdk = createRequire(import.meta.url)('aws-cdk-lib/package.json') as { version: string };
  return h.update(cdk.version).digest('hex').slice(0, 16);
}

/**
 * test/fixtures/app synthesized (bundled with the local esbuild). Bundling
 * takes seconds, so the assembly is kept in the temp dir under a hash of the
 * fixture's sources and shared by test files and runs; it is read-only to them.
 */
export function synthFixture(): string {
  const cached = join(tmpdir(), `local-app-fixture-${fixtureHash()}`);
  if (existsSync(join(cached, 'manifest.json'))) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'local-app-fixture-building-'));
  synthFixtureApp(dir);
  try {
    renameSync(dir, cached);
  } catch {
    rmSync(dir, { recursive: true, force: true }); // another test file got there first
  }
  return cached;
}

export const clientConfig = (cloud: LocalCloud) => ({
  endpoint: cloud.endpoint,
  region: cloud.context.region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/**
 * A local cloud on a free port. Registers EventBridge if this version of
 * local/cloud.ts does not yet (the wiring is being written at the same time).
 */
export async function startCloud(): Promise<LocalCloud & { stopAll(): Promise<void> }> {
  const cloud = await startLocalCloud({ port: 0 });
  const stops: (() => Promise<void>)[] = [];
  const probe = new EventBridgeClient(clientConfig(cloud));
  try {
    await probe.send(new ListEventBusesCommand({}));
  } catch {
    const events = createEventBridge(cloud.context, cloud.sqs);
    cloud.registerJsonService(events, 'events');
    stops.push(() => events.stop());
  } finally {
    probe.destroy();
  }
  return Object.assign(cloud, {
    async stopAll() {
      for (const s of stops) await s();
      await cloud.stop();
    },
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
