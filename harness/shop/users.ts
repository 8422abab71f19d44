/**
 * The demo users of a local shop whose app has a user pool (stack
 * Shop-Identity, outputs UserPoolId and UserPoolClientId): customers ada and
 * grace, operator admin (group operators). Their passwords are demo values,
 * printed by `npm start` and used by `npm run token`; they exist only locally.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type CloudFormationClientConfig,
} from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';

export interface DemoUser {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

export const IDENTITY_STACK = 'Shop-Identity';
export const OPERATORS_GROUP = 'operators';

export const DEMO_USERS: readonly DemoUser[] = [
  { name: 'ada', email: 'ada@example.com', password: 'Ada-Lovelace-1815', groups: [] },
  { name: 'grace', email: 'grace@example.com', password: 'Grace-Hopper-1906', groups: [] },
  {
    name: 'admin',
    email: 'admin@example.com',
    password: 'Admin-Operator-2026',
    groups: [OPERATORS_GROUP],
  },
];

export interface UserPoolRef {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** The pool signs in with emails (UsernameAttributes: email): the demo user's sign-in name. */
export async function signInName(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  user: DemoUser,
): Promise<string> {
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  return UserPool?.UsernameAttributes?.includes('email') ? user.email : user.name;
}

/** Creates the demo users (confirmed, permanent passwords, groups); existing ones are left as they are. */
export async function seedDemoUsers(
  endpoint: string,
  region: string,
  pool: UserPoolRef | undefined,
): Promise<readonly DemoUser[]> {
  if (!pool) return [];
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (const user of DEMO_USERS) {
      const Username = await signInName(cognito, pool.userPoolId, user);
      try {
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.userPoolId,
            Username,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: user.email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
      } catch (e) {
        if (!(e instanceof UsernameExistsException)) throw e;
        continue;
      }
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.userPoolId,
          Username,
          Password: user.password,
          Permanent: true,
        }),
      );
      for (const GroupName of user.groups)
        await cognito.send(
          new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username, GroupName }),
        );
    }
    return DEMO_USERS;
  } finally {
    cognito.destroy();
  }
}

/**
 * Shop-Identity's pool and client, read from the stack's outputs through CloudFormation: the same
 * call on AWS and on the local edge. Throws saying what is missing.
 */
export async function findUserPool(config: CloudFormationClientConfig): Promise<UserPoolRef> {
  const cfn = new CloudFormationClient(config);
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: IDENTITY_STACK }));
    const pool = poolFromOutputs(
      Object.fromEntries(
        (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue]),
      ),
    );
    if (!pool)
      throw new Error(
        `Stack ${IDENTITY_STACK} has no UserPoolId and UserPoolClientId outputs; deploy the identity stack.`,
      );
    return pool;
  } finally {
    cfn.destroy();
  }
}

/** Shop-Identity's pool from a deployed stack's outputs, if the app has one. */
export function poolFromOutputs(
  outputs: Readonly<Record<string, unknown>> | undefined,
): UserPoolRef | undefined {
  const userPoolId = outputs?.['UserPoolId'];
  const clientId = outputs?.['UserPoolClientId'];
  return typeof userPoolId === 'string' && typeof clientId === 'string'
    ? { userPoolId, clientId }
    : undefined;
}
