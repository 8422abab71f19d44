/** A pool's JWKS and OpenID configuration, on the edge where Cognito serves them under its issuer. */
import type { Route } from '../edge/http.js';
import type { CognitoService } from './service.js';

export function wellKnownRoutes(cognito: CognitoService, endpoint: string): Route[] {
  const json = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const notFound = (id: string) => ({
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `User pool ${id} does not exist.` }),
  });
  return [
    {
      method: 'GET',
      path: /^\/([\w-]+_[A-Za-z0-9]+)\/\.well-known\/jwks\.json$/,
      handle: async (_req, _body, m) => {
        const pool = cognito.pool(m[1]!);
        return pool ? json({ keys: [pool.key.jwk] }) : notFound(m[1]!);
      },
    },
    {
      method: 'GET',
      path: /^\/([\w-]+_[A-Za-z0-9]+)\/\.well-known\/openid-configuration$/,
      handle: async (_req, _body, m) => {
        const pool = cognito.pool(m[1]!);
        if (!pool) return notFound(m[1]!);
        return json({
          issuer: pool.issuer,
          jwks_uri: `${endpoint}/${pool.id}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'token'],
          scopes_supported: ['openid', 'email', 'phone', 'profile'],
          subject_types_supported: ['public'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        });
      },
    },
  ];
}
