/** AWS::S3::Bucket from a template, deployed onto a started cloud's S3. */
import {
  GetBucketLifecycleConfigurationCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName } from '../../src/app/resources/s3.js';
import type { DeployEnv } from '../../src/app/resources/types.js';
import type { StackArtifact, Template } from '../../src/app/template/assembly.js';
import { deployStack } from '../../src/app/template/deploy.js';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let s3: S3Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  s3 = new S3Client({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await cloud?.stop();
});

const stack = (stackName: string, template: Template): StackArtifact => ({
  artifactId: stackName,
  stackName,
  template,
  parameters: {},
  dependencies: [],
  assets: new Map(),
});

function env(): DeployEnv {
  return {
    accountId: cloud.context.accountId,
    region: cloud.context.region,
    endpoint: cloud.endpoint,
    log: () => {},
    parameters: new Map<string, string>(),
  } as unknown as DeployEnv;
}

describe('AWS::S3::Bucket', () => {
  it('creates the bucket with a generated S3-valid name, its lifecycle rules, Ref and GetAtt', async () => {
    // What CDK synthesizes for a private bucket with a 7-day expiry and enforceSSL.
    const template: Template = {
      Resources: {
        ExportsBucketE9B1A1B3: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
              ],
            },
            LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, Status: 'Enabled' }] },
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              BlockPublicPolicy: true,
              IgnorePublicAcls: true,
              RestrictPublicBuckets: true,
            },
            VersioningConfiguration: { Status: 'Suspended' },
          },
        },
        ExportsBucketPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'ExportsBucketE9B1A1B3' },
            PolicyDocument: {
              Statement: [
                {
                  Action: 's3:*',
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                  Effect: 'Deny',
                  Principal: { AWS: '*' },
                  Resource: [{ 'Fn::GetAtt': ['ExportsBucketE9B1A1B3', 'Arn'] }],
                },
              ],
              Version: '2012-10-17',
            },
          },
        },
      },
      Outputs: {
        Name: { Value: { Ref: 'ExportsBucketE9B1A1B3' } },
        Arn: { Value: { 'Fn::GetAtt': ['ExportsBucketE9B1A1B3', 'Arn'] } },
        Domain: { Value: { 'Fn::GetAtt': ['ExportsBucketE9B1A1B3', 'RegionalDomainName'] } },
      },
    };
    const deployed = await deployStack(stack('Shop-Orders', template), {
      env: env(),
      exports: new Map(),
      nameSeed: '',
    });
    const name = deployed.outputs['Name'] as string;
    expect(name).toMatch(/^shop-orders-exportsbuckete9b1a1b3-[a-z0-9]{13}$/);
    expect(deployed.outputs['Arn']).toBe(`arn:aws:s3:::${name}`);
    expect(deployed.outputs['Domain']).toBe(`${name}.s3.us-east-1.amazonaws.com`);
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
    expect(Rules).toEqual([{ Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 7 } }]);

    // Deployed again (a restart with the same names): the bucket is kept.
    await deployStack(stack('Shop-Orders', template), {
      env: env(),
      exports: new Map(),
      nameSeed: '',
    });
  });

  it('names buckets within S3 rules: lowercase, at most 63 characters, the suffix kept', () => {
    const long = `${'VeryLongStackName'.repeat(4)}-${'LogicalId'.repeat(4)}-ABCDEFGHIJKLM`;
    const name = bucketName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]*-abcdefghijklm$/);
    expect(bucketName('Shop-Orders-Exports-ABC')).toBe('shop-orders-exports-abc');
  });
});
