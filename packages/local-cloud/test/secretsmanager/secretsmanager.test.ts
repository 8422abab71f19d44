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

describe('local Secrets Manager through the edge', () => {
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
