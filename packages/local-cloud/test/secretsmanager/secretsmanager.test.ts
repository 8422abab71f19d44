import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let client: SecretsManagerClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  client = new SecretsManagerClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await cloud.stop();
});

describe('local Secrets Manager through the edge', () => {
  it('creates, reads by name and by ARN, updates and deletes a secret', async () => {
    const created = await client.send(
      new CreateSecretCommand({ Name: 'webhook', SecretString: 'first-value-0123456' }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:webhook-[0-9a-f]{6}$/,
    );
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'webhook' }));
    expect(byName.SecretString).toBe('first-value-0123456');
    await client.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'second' }));
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe('second');
    await expect(
      client.send(new CreateSecretCommand({ Name: 'webhook', SecretString: 'x' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
    await client.send(new DeleteSecretCommand({ SecretId: 'webhook' }));
    await expect(
      client.send(new GetSecretValueCommand({ SecretId: 'webhook' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('generates passwords honouring length and exclusions', async () => {
    const { RandomPassword } = await client.send(
      new GetRandomPasswordCommand({ PasswordLength: 48, ExcludePunctuation: true }),
    );
    expect(RandomPassword).toMatch(/^[A-Za-z0-9]{48}$/);
  });
});

describe('local Secrets Manager versions across a rotation', () => {
  const value = (stage?: string) =>
    client
      .send(new GetSecretValueCommand({ SecretId: 'rotated', VersionStage: stage }))
      .then((r) => ({ value: r.SecretString, stages: r.VersionStages }));

  it('has no AWSPREVIOUS before the first rotation', async () => {
    await client.send(new CreateSecretCommand({ Name: 'rotated', SecretString: 'one' }));
    expect(await value()).toEqual({ value: 'one', stages: ['AWSCURRENT'] });
    await expect(value('AWSPREVIOUS')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('PutSecretValue makes the new value AWSCURRENT and the replaced one AWSPREVIOUS', async () => {
    await client.send(new PutSecretValueCommand({ SecretId: 'rotated', SecretString: 'two' }));
    expect(await value('AWSCURRENT')).toEqual({ value: 'two', stages: ['AWSCURRENT'] });
    expect(await value('AWSPREVIOUS')).toEqual({ value: 'one', stages: ['AWSPREVIOUS'] });
    await client.send(new PutSecretValueCommand({ SecretId: 'rotated', SecretString: 'three' }));
    expect((await value()).value).toBe('three');
    expect((await value('AWSPREVIOUS')).value).toBe('two');
  });

  it('a repeated ClientRequestToken is idempotent with the same value and refused with another', async () => {
    const token = '11111111-2222-3333-4444-555555555555';
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'rotated',
        SecretString: 'four',
        ClientRequestToken: token,
      }),
    );
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'rotated',
        SecretString: 'four',
        ClientRequestToken: token,
      }),
    );
    expect((await value('AWSPREVIOUS')).value).toBe('three');
    await expect(
      client.send(
        new PutSecretValueCommand({
          SecretId: 'rotated',
          SecretString: 'five',
          ClientRequestToken: token,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });
});
