/**
 * The AWS CLI against a started cloud's S3: `s3 mb`, `s3 cp` up (single PUT
 * and multipart, the CLI's threshold being 8 MiB) and down, `s3 ls`,
 * `s3api head-object`, `s3 presign` (SigV4 once configured), `s3 rm`.
 * https://docs.aws.amazon.com/cli/latest/reference/s3/
 * Skipped, saying so, where `aws` is not on PATH.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

const run = promisify(execFile);

function awsOnPath(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasAws = awsOnPath();
const title = hasAws
  ? 'the AWS CLI'
  : 'the AWS CLI (skipped: `aws` is not on PATH; install awscli to run it)';

describe.skipIf(!hasAws)(title, () => {
  let cloud: LocalCloud;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, dynamodb: false });
    dir = mkdtempSync(join(tmpdir(), 'local-cloud-s3-cli-'));
    // CLI v1 presigns with Signature Version 2 unless told otherwise; S3 refuses V2 on new buckets.
    writeFileSync(join(dir, 'config'), '[default]\ns3 =\n    signature_version = s3v4\n');
    env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    };
  });

  afterAll(async () => {
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the cloud answers from this process's event loop.
  async function aws(...args: string[]): Promise<string> {
    const out = await run('aws', ['--endpoint-url', cloud.endpoint, ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return out.stdout;
  }

  it('makes a bucket, copies files up and down, lists them and removes them', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'orderId,totalCents\nord_1,1200\n');
    const big = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 1024) big.writeUInt32BE(i, i);
    writeFileSync(join(dir, 'big.bin'), big);

    await aws('s3', 'mb', 's3://cli-exports');
    await aws('s3', 'cp', '--no-progress', small, 's3://cli-exports/exports/small.csv');
    await aws(
      's3',
      'cp',
      '--no-progress',
      join(dir, 'big.bin'),
      's3://cli-exports/exports/big.bin',
    );

    const listing = await aws('s3', 'ls', 's3://cli-exports/exports/');
    expect(listing).toMatch(/\s9437184 big\.bin\n/);
    expect(listing).toMatch(/\s30 small\.csv\n/);
    expect(await aws('s3', 'ls')).toMatch(/ cli-exports\n/);

    await aws(
      's3',
      'cp',
      '--no-progress',
      's3://cli-exports/exports/big.bin',
      join(dir, 'down.bin'),
    );
    expect(readFileSync(join(dir, 'down.bin')).equals(big)).toBe(true);

    const head = JSON.parse(
      await aws('s3api', 'head-object', '--bucket', 'cli-exports', '--key', 'exports/big.bin'),
    ) as {
      ETag: string;
      ContentLength: number;
    };
    expect(head.ContentLength).toBe(big.length);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-2"$/); // 8 MiB + 1 MiB parts

    const url = (
      await aws('s3', 'presign', 's3://cli-exports/exports/small.csv', '--expires-in', '900')
    ).trim();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('orderId,totalCents\nord_1,1200\n');

    await aws('s3', 'rm', 's3://cli-exports/exports/', '--recursive');
    expect(await aws('s3', 'ls', 's3://cli-exports/exports/').catch(() => '')).toBe('');
  });
});
