/** AWS::KMS::Key and AWS::KMS::Alias, created in the local KMS on the edge (key policies are kept out: not evaluated). */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  KMSClient,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { withClient } from './clients.js';
import { prop, required, type ResourceHandler } from './types.js';

const kms = (c: KMSClientConfig) => new KMSClient(c);

export const kmsKey: ResourceHandler = async (ctx) => {
  const spec = prop(ctx, 'KeySpec', 'string') ?? 'SYMMETRIC_DEFAULT';
  if (spec !== 'SYMMETRIC_DEFAULT')
    throw new Error(
      `${ctx.where}: KeySpec ${spec} is not emulated; the local KMS has symmetric keys (SYMMETRIC_DEFAULT) only`,
    );
  const { KeyMetadata } = await withClient(ctx.env, kms, (c) =>
    c.send(new CreateKeyCommand({ Description: prop(ctx, 'Description', 'string') })),
  );
  return {
    physicalId: KeyMetadata!.KeyId!,
    attributes: { Arn: KeyMetadata!.Arn, KeyId: KeyMetadata!.KeyId },
  };
};

export const kmsAlias: ResourceHandler = async (ctx) => {
  const name = required(ctx, 'AliasName', prop(ctx, 'AliasName', 'string'));
  await withClient(ctx.env, kms, (c) =>
    c.send(
      new CreateAliasCommand({
        AliasName: name,
        TargetKeyId: required(ctx, 'TargetKeyId', prop(ctx, 'TargetKeyId', 'string')),
      }),
    ),
  );
  return { physicalId: name };
};
