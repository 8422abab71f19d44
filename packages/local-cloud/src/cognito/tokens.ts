/**
 * A user pool's signing key and the tokens Cognito issues with it: RS256 JWTs
 * with Cognito's claims (id and access), and opaque refresh tokens.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyPair['privateKey'];
  readonly publicKey: KeyPair['publicKey'];
  readonly jwk: JWK;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

export interface TokenSubject {
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly authTime: number;
  /** The jti of the sign-in's first tokens: refreshed tokens keep it. */
  readonly originJti: string;
}

export interface TokenSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly idSeconds: number;
  readonly accessSeconds: number;
}

export async function issueTokens(
  key: SigningKey,
  who: TokenSubject,
  s: TokenSettings,
): Promise<{ IdToken: string; AccessToken: string; ExpiresIn: number }> {
  const now = Math.floor(Date.now() / 1000);
  const eventId = randomUUID();
  const groups = who.groups.length ? { 'cognito:groups': [...who.groups] } : {};
  const sign = (claims: JWTPayload, seconds: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(s.issuer)
      .setSubject(who.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + seconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
  const IdToken = await sign(
    {
      aud: s.clientId,
      token_use: 'id',
      'cognito:username': who.username,
      ...groups,
      ...(who.email !== undefined
        ? { email: who.email, email_verified: who.emailVerified ?? false }
        : {}),
      auth_time: who.authTime,
      origin_jti: who.originJti,
      event_id: eventId,
    },
    s.idSeconds,
  );
  const AccessToken = await sign(
    {
      client_id: s.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      ...groups,
      username: who.username,
      auth_time: who.authTime,
      origin_jti: who.originJti,
      event_id: eventId,
    },
    s.accessSeconds,
  );
  return { IdToken, AccessToken, ExpiresIn: s.accessSeconds };
}

/** The claims of a token this key signed for this issuer; throws if forged or expired. */
export async function verifyToken(
  key: SigningKey,
  token: string,
  issuer: string,
): Promise<JWTPayload> {
  return (await jwtVerify(token, key.publicKey, { issuer, algorithms: ['RS256'] })).payload;
}
