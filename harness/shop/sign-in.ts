/**
 * Bearer tokens for the demo users of a running local shop, for the clients
 * the harness and the tests drive (catalog seeding, e2e, chaos shoppers,
 * bench): the same USER_PASSWORD_AUTH sign-in `npm run token` does.
 */
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DEMO_USERS, signInName, type UserPoolRef } from './users.js';

export type DemoUserName = 'ada' | 'grace' | 'admin';

export interface SignIn {
  /** The access token of a demo user; cached until a minute before it expires. */
  token(user: DemoUserName): Promise<string>;
  /** The token's subject: the user's customer id. */
  subjectOf(user: DemoUserName): Promise<string>;
}

export function demoSignIn(endpoint: string, region: string, pool: UserPoolRef): SignIn {
  const cache = new Map<string, { token: string; sub: string; until: number }>();
  const fetchToken = async (name: DemoUserName) => {
    const hit = cache.get(name);
    if (hit && hit.until > Date.now()) return hit;
    const user = DEMO_USERS.find((u) => u.name === name);
    if (!user)
      throw new Error(
        `${name} is not a demo user; they are ${DEMO_USERS.map((u) => u.name).join(', ')}.`,
      );
    const cognito = new CognitoIdentityProviderClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const username = await signInName(cognito, pool.userPoolId, user);
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: pool.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: user.password },
        }),
      );
      const token = AuthenticationResult?.AccessToken;
      if (!token) throw new Error(`Sign-in of demo user ${name} returned no access token.`);
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
        sub: string;
        exp: number;
      };
      const entry = { token, sub: claims.sub, until: claims.exp * 1000 - 60_000 };
      cache.set(name, entry);
      return entry;
    } finally {
      cognito.destroy();
    }
  };
  return {
    token: async (name) => (await fetchToken(name)).token,
    subjectOf: async (name) => (await fetchToken(name)).sub,
  };
}
