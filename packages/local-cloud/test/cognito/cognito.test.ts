import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  idp = new CognitoIdentityProviderClient({
    endpoint: cloud.endpoint,
    region: cloud.context.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pool = await idp.send(
    new CreateUserPoolCommand({
      PoolName: 'shop',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 10,
          RequireNumbers: true,
          RequireUppercase: false,
          RequireLowercase: true,
          RequireSymbols: false,
        },
      },
      AutoVerifiedAttributes: ['email'],
    }),
  );
  poolId = pool.UserPool!.Id!;
  const client = await idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'operators' }));
});
afterAll(async () => {
  idp.destroy();
  await cloud.stop();
});

const signIn = (USERNAME: string, PASSWORD: string) =>
  idp.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME, PASSWORD },
    }),
  );

describe('local Cognito through the SDK', () => {
  it('signs up, confirms, signs in; the tokens carry Cognito claims and verify against the JWKS', async () => {
    const up = await idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'ada',
        Password: 'lovelace1815',
        UserAttributes: [{ Name: 'email', Value: 'ada@example.com' }],
      }),
    );
    expect(up.UserConfirmed).toBe(false);
    await expect(signIn('ada', 'lovelace1815')).rejects.toMatchObject({
      name: 'UserNotConfirmedException',
    });
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'ada' }));
    const { AuthenticationResult: auth } = await signIn('ada', 'lovelace1815');
    const issuer = `https://cognito-idp.${cloud.context.region}.amazonaws.com/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${cloud.endpoint}/${poolId}/.well-known/jwks.json`));
    const id = (await jwtVerify(auth!.IdToken!, jwks, { issuer, audience: clientId })).payload;
    expect(id).toMatchObject({
      sub: up.UserSub,
      token_use: 'id',
      'cognito:username': 'ada',
      email: 'ada@example.com',
    });
    expect(id.exp! - id.iat!).toBe(15 * 60);
    for (const claim of ['auth_time', 'jti', 'origin_jti', 'event_id'])
      expect(id[claim]).toBeDefined();
    const access = (await jwtVerify(auth!.AccessToken!, jwks, { issuer })).payload;
    expect(access).toMatchObject({
      client_id: clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: 'ada',
    });
    const oidc = (await (
      await fetch(`${cloud.endpoint}/${poolId}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    expect(oidc.issuer).toBe(issuer);

    const me = await idp.send(new GetUserCommand({ AccessToken: auth!.AccessToken! }));
    expect(me.Username).toBe('ada');
    await expect(
      idp.send(new GetUserCommand({ AccessToken: `${auth!.AccessToken!}x` })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    const refreshed = await idp.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: auth!.RefreshToken! },
      }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult!.IdToken!)['origin_jti']).toBe(
      id['origin_jti'],
    );
    expect(refreshed.AuthenticationResult!.RefreshToken).toBeUndefined();
  });

  it('admin-creates a user, sets a permanent password, adds it to a group: the group is in the tokens', async () => {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'admin',
        TemporaryPassword: 'temporary123',
      }),
    );
    const challenge = await signIn('admin', 'temporary123');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await idp.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'admin',
        Password: 'operator123',
        Permanent: true,
      }),
    );
    await idp.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: poolId,
        Username: 'admin',
        GroupName: 'operators',
      }),
    );
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'admin' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    const { AuthenticationResult } = await signIn('admin', 'operator123');
    expect(decodeJwt(AuthenticationResult!.AccessToken!)['cognito:groups']).toEqual(['operators']);
    const listed = await idp.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "admin"' }),
    );
    expect(listed.Users?.map((u) => u.Username)).toEqual(['admin']);
  });

  it('answers with Cognito errors', async () => {
    await expect(signIn('ada', 'wrong-password1')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(signIn('nobody', 'whatever123')).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    await expect(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: 'ada', Password: 'another1234' })),
    ).rejects.toMatchObject({ name: 'UsernameExistsException' });
    await expect(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: 'short1' })),
    ).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(
      idp.send(
        new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: 'nonumbershere' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have numeric characters',
    });
    await expect(
      idp.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_nope', Username: 'ada' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      idp.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: {},
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const challenge = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'grace',
        TemporaryPassword: 'temporary123',
      }),
    );
    expect(challenge.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const { Session } = await signIn('grace', 'temporary123');
    const done = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session,
        ChallengeResponses: { USERNAME: 'grace', NEW_PASSWORD: 'hopper1906x' },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });
});
