import { describe, expect, it } from 'vitest';
import { explainAwsError, resolveTarget } from '../../../ops/shared/aws.js';
import { CliError, UsageError } from '../../../ops/shared/cli.js';
import { capture } from '../support.js';

describe('resolveTarget', () => {
  it('is AWS (not local) when nothing answers /_local/health at the endpoint', async () => {
    const c = capture({ env: { AWS_DEFAULT_REGION: 'eu-west-1' } });
    const t = await resolveTarget({ 'endpoint-url': 'http://127.0.0.1:9' }, c.io);
    expect(t.local).toBeUndefined();
    expect(t.describe()).toBe('http://127.0.0.1:9 (eu-west-1)');
    t.destroy();
  });

  it('takes flags over AWS_PROFILE and AWS_REGION, as the AWS CLI does', async () => {
    const c = capture({ env: { AWS_PROFILE: 'from-env', AWS_REGION: 'us-west-2' } });
    const fromEnv = await resolveTarget({}, c.io);
    expect(fromEnv.describe()).toBe('AWS (profile from-env, us-west-2)');
    const fromFlags = await resolveTarget({ profile: 'ops', region: 'eu-central-1' }, c.io);
    expect(fromFlags.describe()).toBe('AWS (profile ops, eu-central-1)');
    expect(await fromFlags.sqs.config.region()).toBe('eu-central-1');
    fromEnv.destroy();
    fromFlags.destroy();
  });

  it('refuses an endpoint that is not a URL (usage error)', async () => {
    await expect(resolveTarget({ 'endpoint-url': 'localhost:4566' }, capture().io)).rejects.toThrow(
      UsageError,
    );
  });
});

describe('explainAwsError', () => {
  it('says what to do about missing credentials, region, or an unreachable endpoint', () => {
    const creds = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect((explainAwsError(creds, undefined) as Error).message).toContain('Pass --profile NAME');
    expect(explainAwsError(new Error('Region is missing'), undefined)).toBeInstanceOf(UsageError);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const e = explainAwsError(refused, undefined) as CliError;
    expect(e).toBeInstanceOf(CliError);
    expect(e.message).toContain('npm run cloud');
  });
});
