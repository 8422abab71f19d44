import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, createBusWithArchive, putShopEvents, startCloud, subscribe } from './support.js';

/** The real command lines, as `npm run replay|dlq|trace --` runs them (tsx ops/<cli>.ts). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const BUS = 'ShopPlatformBus69D425C4';
let env: Awaited<ReturnType<typeof startCloud>>;

beforeAll(async () => {
  env = await startCloud();
  await createBusWithArchive(env.events, BUS, 'Shop-Platform-BusArchive-Ab12Cd34');
  await subscribe(env.events, env.sqs, {
    bus: BUS,
    stack: 'Shop-Orders',
    detailTypes: ['OrderPlaced'],
  });
  await putShopEvents(env.events, BUS, [
    {
      source: 'shop.orders',
      detailType: 'OrderPlaced',
      correlationId: 'ord-cli',
      causationId: 'req-1',
    },
  ]);
});

afterAll(async () => {
  await env?.stop();
});

function cli(
  script: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_REGION'])
    if (!(k in extraEnv)) delete childEnv[k];
  return new Promise((resolve) => {
    execFile(
      TSX,
      [`ops/${script}.ts`, ...args],
      { cwd: ROOT, env: childEnv },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

describe('the command lines', () => {
  it('replay --dry-run takes the endpoint from AWS_ENDPOINT_URL', async () => {
    const r = await cli('replay', ['--from', '-1h', '--dry-run', '--json'], {
      AWS_ENDPOINT_URL: env.cloud.endpoint,
    });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      dryRun: true,
      count: { counted: true, inWindow: 1 },
    });
  });

  it('dlq list prints its table', async () => {
    const r = await cli('dlq', ['list', '--endpoint-url', env.cloud.endpoint]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Shop-Orders-SubscriptionDeadLetterQueue\S+\s+0\s+0\s+-\s+Shop-Orders-SubscriptionQueue/,
    );
  });

  it('trace prints the journey', async () => {
    const r = await cli('trace', ['ord-cli', '--endpoint-url', env.cloud.endpoint]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OrderPlaced [orders]');
  });

  it('exits 2 on a usage error, with the message on stderr', async () => {
    const r = await cli('dlq', ['nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: Unknown command 'nope'");
    expect(r.stdout).toBe('');
  });

  it('--help is the same in-process', async () => {
    const { main } = await import('../../ops/replay.js');
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('Usage: npm run replay --');
  });
});
