/**
 * An HTTP API JWT authorizer as API Gateway runs it: the token from the
 * identity source (with or without `Bearer `), its signature checked against
 * the issuer's JWKS, then `iss`, `exp`/`nbf`, the audience (`aud`, or
 * `client_id` when there is no `aud`) and the route's scopes. A Cognito
 * issuer (`https://cognito-idp.<region>.amazonaws.com/<pool>`) is the local
 * pool of that id, its keys read from the edge; other issuers are not
 * reachable locally and every token of theirs is refused.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface JwtAuthorizerDefinition {
  readonly authorizerId: string;
  readonly apiId: string;
  readonly name: string;
  /** `$request.header.Authorization`. */
  readonly identitySource: readonly string[];
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly where: string;
}

export type AuthorizerOutcome =
  | {
      readonly ok: true;
      readonly claims: Record<string, string>;
      readonly scopes: string[] | null;
      readonly raw: JWTPayload;
    }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly wwwAuthenticate?: string;
      readonly reason: string;
    };

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+_[A-Za-z0-9]+)$/;

export class JwtAuthorizers {
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly edgeEndpoint: string | undefined) {}

  async authorize(
    def: JwtAuthorizerDefinition,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    requiredScopes: readonly string[],
  ): Promise<AuthorizerOutcome> {
    const token = tokenFrom(def.identitySource, headers);
    if (!token) return { ok: false, status: 401, reason: 'no token in the identity source' };
    const keys = this.keysFor(def.issuer);
    if (!keys)
      return deny(
        `the issuer ${def.issuer} is not a local Cognito user pool`,
        'the issuer is not reachable',
      );
    let payload: JWTPayload;
    try {
      payload = (
        await jwtVerify(token, keys, {
          issuer: def.issuer,
          algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384'],
        })
      ).payload;
    } catch (e) {
      return deny(`${(e as Error).message}`, describe(e));
    }
    const aud = payload.aud === undefined ? undefined : [payload.aud].flat();
    const audienceOk = aud
      ? aud.some((a) => def.audience.includes(a))
      : typeof payload['client_id'] === 'string' && def.audience.includes(payload['client_id']);
    if (!audienceOk)
      return deny(
        'the token does not have a valid audience',
        'the token does not have a valid audience',
      );
    const tokenScopes =
      typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : null;
    if (requiredScopes.length && !requiredScopes.some((s) => tokenScopes?.includes(s)))
      return {
        ok: false,
        status: 403,
        reason: `the token has none of the route's scopes (${requiredScopes.join(', ')})`,
        wwwAuthenticate: `Bearer scope="${requiredScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${requiredScopes.join(' ')}]"`,
      };
    return { ok: true, claims: renderClaims(payload), scopes: tokenScopes, raw: payload };
  }

  private keysFor(issuer: string): ReturnType<typeof createRemoteJWKSet> | undefined {
    const pool = COGNITO_ISSUER.exec(issuer)?.[1];
    if (!pool || !this.edgeEndpoint) return undefined;
    let keys = this.jwks.get(pool);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${this.edgeEndpoint}/${pool}/.well-known/jwks.json`));
      this.jwks.set(pool, keys);
    }
    return keys;
  }
}

/** Claims as API Gateway hands them to the function: every value a string, arrays as `[a b]`. */
export function renderClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) out[k] = renderValue(v);
  return out;
}

function renderValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(renderValue).join(' ')}]`;
  if (v !== null && typeof v === 'object')
    return `map[${Object.entries(v)
      .map(([k, x]) => `${k}:${renderValue(x)}`)
      .join(' ')}]`;
  return String(v);
}

function tokenFrom(
  sources: readonly string[],
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  for (const source of sources) {
    const name = /^\$request\.header\.(.+)$/.exec(source)?.[1];
    if (!name) continue;
    const raw = headers[name.toLowerCase()];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) return value.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}

function deny(reason: string, description: string): AuthorizerOutcome {
  return {
    ok: false,
    status: 401,
    reason,
    wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
  };
}

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'iss')
    return 'the token does not have a valid issuer';
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf')
    return 'the token is not valid yet';
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey)
    return 'the token has an invalid signature';
  return 'the token is malformed';
}
