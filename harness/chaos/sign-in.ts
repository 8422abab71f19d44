/**
 * Sign-in for a chaos run against a shop already running (`--endpoint`): the
 * demo users signed in through Cognito on its edge, as `npm run token` does.
 * The pool is Shop-Identity's (its outputs); while the local cloud has no
 * CloudFormation on the edge, the one user pool it has.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { demoSignIn, type SignIn } from '../shop/sign-in.js';
import { IDENTITY_STACK, poolFromOutputs, type UserPoolRef } from '../shop/users.js';
import type { CloudSide } from './cloud.js';

export async function signInTo(cloud: CloudSide): Promise<SignIn> {
  const pool = await findPool(cloud.endpoint, cloud.info.region);
  return demoSignIn(cloud.endpoint, cloud.info.region, pool);
}

async function findPool(endpoint: string, region: string): Promise<UserPoolRef> {
  const config = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const cfn = new CloudFormationClient(config);
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: IDENTITY_STACK }));
    const pool = poolFromOutputs(
      Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue])),
    );
    if (pool) return pool;
  } catch {
    // No CloudFormation on this edge: fall back to the pool itself.
  } finally {
    cfn.destroy();
  }
  const cognito = new CognitoIdentityProviderClient(config);
  try {
    const { UserPools = [] } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    if (UserPools.length !== 1)
      throw new Error(
        UserPools.length === 0
          ? `The local cloud at ${endpoint} has no user pool, so the shoppers cannot sign in: is \`npm start\` running the shop with ${IDENTITY_STACK}?`
          : `The local cloud at ${endpoint} has ${UserPools.length} user pools (${UserPools.map((p) => p.Name).join(', ')}) and no ${IDENTITY_STACK} stack to say which the shoppers sign in to.`,
      );
    const userPoolId = UserPools[0]!.Id!;
    const { UserPoolClients = [] } = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: userPoolId }),
    );
    const clientId = UserPoolClients[0]?.ClientId;
    if (!clientId)
      throw new Error(
        `The user pool ${userPoolId} at ${endpoint} has no app client to sign in with.`,
      );
    return { userPoolId, clientId };
  } finally {
    cognito.destroy();
  }
}
