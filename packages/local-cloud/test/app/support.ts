/** Shared set-up of the app loader's end-to-end tests: the fixture app synthesized, a local cloud. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { loadApp, type LoadAppOptions, type RunningApp } from '../../src/app/index.js';
import { synthFixtureApp } from '../fixtures/app/app.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/app');

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
 * A local cloud on a free port with the fixture app loaded onto it (HTTP API on a free port too),
 * silent unless `options` say where its lines go.
 */
export async function startFixtureApp(
  options: Pick<LoadAppOptions, 'log' | 'functionLog' | 'onInvocation'> = {},
): Promise<{ cloud: LocalCloud; app: RunningApp }> {
  const cloud = await startCloud();
  try {
    const app = await loadApp({
      cdkOut: synthFixture(),
      cloud,
      apiPort: 0,
      log: () => undefined,
      functionLog: () => undefined,
      ...options,
    });
    return { cloud, app };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}

/** A local cloud on a free port (DynamoDB Local, SQS, EventBridge). */
export async function startCloud(): Promise<LocalCloud> {
  return startLocalCloud({ port: 0 });
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
