import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { webhookSecretsFrom } from '../../../functions/shipping/adapters/secret.js';

const client = new SecretsManagerClient({ region: 'us-east-1' });
const sm = mockClient(client);
const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:webhook-abc123';
const missing = () => new ResourceNotFoundException({ message: 'no AWSPREVIOUS', $metadata: {} });

describe('webhook secrets from Secrets Manager', () => {
  beforeEach(() => sm.reset());

  it('returns AWSCURRENT then AWSPREVIOUS, cached for 5 minutes', async () => {
    sm.on(GetSecretValueCommand, { SecretId: arn, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'whsec_current_0123456' })
      .on(GetSecretValueCommand, { SecretId: arn, VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: 'whsec_previous_012345' });
    let now = 0;
    const secrets = webhookSecretsFrom(client, arn, () => now);
    expect(await secrets()).toEqual(['whsec_current_0123456', 'whsec_previous_012345']);
    now = 299_000;
    await secrets();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    now = 300_000;
    await secrets();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  it('treats a missing AWSPREVIOUS as normal, a missing AWSCURRENT as an error', async () => {
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'whsec_current_0123456' })
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(missing());
    expect(await webhookSecretsFrom(client, arn)()).toEqual(['whsec_current_0123456']);
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(missing());
    await expect(webhookSecretsFrom(client, arn)()).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
