/** AWS::Cognito::UserPool, UserPoolClient and UserPoolGroup, created in the local Cognito on the edge. */
import {
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientRequest,
  type CreateUserPoolRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { withClient } from './clients.js';
import { prop, required, type ResourceHandler } from './types.js';

const cognito = (c: CognitoIdentityProviderClientConfig) => new CognitoIdentityProviderClient(c);

export const userPool: ResourceHandler = async (ctx) => {
  const p = ctx.properties;
  const input = {
    ...p,
    PoolName: prop(ctx, 'UserPoolName', 'string') ?? ctx.generateName(),
  } as CreateUserPoolRequest & { UserPoolName?: unknown };
  delete input.UserPoolName;
  const { UserPool } = await withClient(ctx.env, cognito, (c) =>
    c.send(new CreateUserPoolCommand(input)),
  );
  const id = UserPool!.Id!;
  const provider = `cognito-idp.${ctx.env.region}.amazonaws.com/${id}`;
  return {
    physicalId: id,
    attributes: {
      Arn: UserPool!.Arn,
      UserPoolId: id,
      ProviderName: provider,
      ProviderURL: `https://${provider}`,
    },
  };
};

export const userPoolClient: ResourceHandler = async (ctx) => {
  const input = {
    ...ctx.properties,
    ClientName: prop(ctx, 'ClientName', 'string') ?? ctx.generateName(),
  } as unknown as CreateUserPoolClientRequest;
  const { UserPoolClient } = await withClient(ctx.env, cognito, (c) =>
    c.send(new CreateUserPoolClientCommand(input)),
  );
  const id = UserPoolClient!.ClientId!;
  return { physicalId: id, attributes: { ClientId: id, Name: UserPoolClient!.ClientName } };
};

export const userPoolGroup: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'GroupName', 'string') ?? ctx.generateName();
  await withClient(ctx.env, cognito, (c) =>
    c.send(
      new CreateGroupCommand({
        GroupName: name,
        UserPoolId: required(ctx, 'UserPoolId', prop(ctx, 'UserPoolId', 'string')),
        Description: prop(ctx, 'Description', 'string'),
        Precedence: prop(ctx, 'Precedence', 'number'),
      }),
    ),
  );
  return { physicalId: name };
};
