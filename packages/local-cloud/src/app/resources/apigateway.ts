/** AWS::ApiGatewayV2::Api/Integration/Route/Stage for HTTP APIs with Lambda proxy integrations. */
import { logGroupOfArn } from '../http-api/access-log.js';
import type { CorsConfiguration, RouteAuthorization, StageSettings } from '../http-api/server.js';
import type { ThrottleSettings } from '../http-api/throttle.js';
import { prop, required, type ResourceHandler } from './types.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const api: ResourceHandler = async (ctx) => {
  const protocol = prop(ctx, 'ProtocolType', 'string') ?? 'HTTP';
  if (protocol !== 'HTTP')
    throw new Error(
      `${ctx.where}: ${protocol} APIs are not emulated; only HTTP APIs (API Gateway v2) are`,
    );
  if (ctx.properties['Body'] !== undefined || ctx.properties['BodyS3Location'] !== undefined)
    throw new Error(
      `${ctx.where}: APIs imported from OpenAPI (Body/BodyS3Location) are not supported locally`,
    );
  const apiId = ctx.generateId(10, LOWER);
  ctx.env.http.addApi({
    apiId,
    name: prop(ctx, 'Name', 'string') ?? ctx.logicalId,
    where: ctx.where,
    cors: prop(ctx, 'CorsConfiguration', 'object') as CorsConfiguration | undefined,
  });
  return { physicalId: apiId, attributes: { ApiId: apiId, ApiEndpoint: ctx.env.http.url } };
};

/** `arn:aws:lambda:...:function:name` or `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`. */
function functionOf(uri: string): string {
  const m = /\/functions\/(.+)\/invocations$/.exec(uri);
  return m ? m[1]! : uri;
}

export const integration: ResourceHandler = async (ctx) => {
  const type = prop(ctx, 'IntegrationType', 'string');
  const version = prop(ctx, 'PayloadFormatVersion', 'string') ?? '2.0';
  if (type !== 'AWS_PROXY' || !/lambda/.test(String(ctx.properties['IntegrationUri'] ?? '')))
    throw new Error(
      `${ctx.where}: integration type ${type} (${JSON.stringify(ctx.properties['IntegrationSubtype'] ?? ctx.properties['IntegrationUri'])}) ` +
        'is not emulated; only Lambda proxy integrations (AWS_PROXY) are',
    );
  if (version !== '2.0')
    throw new Error(
      `${ctx.where}: payload format ${version} is not emulated; use PayloadFormatVersion 2.0`,
    );
  const id = ctx.generateId(7, LOWER);
  ctx.env.http.addIntegration({
    integrationId: id,
    apiId: required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')),
    functionRef: functionOf(required(ctx, 'IntegrationUri', prop(ctx, 'IntegrationUri', 'string'))),
    timeoutMs: prop(ctx, 'TimeoutInMillis', 'number') ?? 30_000,
    where: ctx.where,
  });
  return { physicalId: id };
};

export const route: ResourceHandler = async (ctx) => {
  const routeKey = required(ctx, 'RouteKey', prop(ctx, 'RouteKey', 'string'));
  const target = required(ctx, 'Target', prop(ctx, 'Target', 'string'));
  const m = /^integrations\/(.+)$/.exec(target);
  if (!m) throw new Error(`${ctx.where}: Target ${target} is not "integrations/<id>"`);
  const auth = prop(ctx, 'AuthorizationType', 'string') ?? 'NONE';
  let authorization: RouteAuthorization | undefined;
  if (auth === 'JWT') {
    const scopes = ctx.properties['AuthorizationScopes'];
    authorization = {
      authorizerId: required(ctx, 'AuthorizerId', prop(ctx, 'AuthorizerId', 'string')),
      scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    };
  } else if (auth !== 'NONE')
    throw new Error(
      `${ctx.where}: authorization ${auth} on ${routeKey} is not emulated; the local HTTP API enforces JWT authorizers (or NONE)`,
    );
  ctx.env.http.addRoute(
    required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')),
    routeKey,
    m[1]!,
    ctx.where,
    authorization,
  );
  return { physicalId: ctx.generateId(7, LOWER) };
};

export const authorizer: ResourceHandler = async (ctx) => {
  const type = prop(ctx, 'AuthorizerType', 'string');
  if (type !== 'JWT')
    throw new Error(
      `${ctx.where}: authorizer type ${type} is not emulated; the local HTTP API runs JWT authorizers`,
    );
  const jwt = required(ctx, 'JwtConfiguration', prop(ctx, 'JwtConfiguration', 'object'));
  const issuer = jwt['Issuer'];
  const audience = jwt['Audience'];
  if (typeof issuer !== 'string' || !Array.isArray(audience))
    throw new Error(
      `${ctx.where}: JwtConfiguration needs an Issuer (string) and an Audience (list); got ${JSON.stringify(jwt)}`,
    );
  const sources = ctx.properties['IdentitySource'];
  const id = ctx.generateId(6, LOWER);
  ctx.env.http.addAuthorizer({
    authorizerId: id,
    apiId: required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')),
    name: prop(ctx, 'Name', 'string') ?? ctx.logicalId,
    identitySource: Array.isArray(sources)
      ? sources.map(String)
      : ['$request.header.Authorization'],
    issuer,
    audience: audience.map(String),
    where: ctx.where,
  });
  if (!/^https:\/\/cognito-idp\./.test(issuer))
    ctx.env.log(
      `${ctx.where}: issuer ${issuer} is not a Cognito user pool; locally its keys cannot be fetched, so every token is refused`,
    );
  return { physicalId: id, attributes: { AuthorizerId: id } };
};

function throttleOf(v: unknown): ThrottleSettings {
  const o = (v ?? {}) as Record<string, unknown>;
  const n = (x: unknown) => (x === undefined ? undefined : Number(x));
  return { burstLimit: n(o['ThrottlingBurstLimit']), rateLimit: n(o['ThrottlingRateLimit']) };
}

export const stage: ResourceHandler = async (ctx) => {
  const name = required(ctx, 'StageName', prop(ctx, 'StageName', 'string'));
  const variables = (prop(ctx, 'StageVariables', 'object') ?? {}) as Record<string, string>;
  const routes = (prop(ctx, 'RouteSettings', 'object') ?? {}) as Record<string, unknown>;
  const logSettings = prop(ctx, 'AccessLogSettings', 'object');
  let accessLog: StageSettings['accessLog'];
  if (logSettings) {
    const arn = String(logSettings['DestinationArn'] ?? '');
    const logGroupName = logGroupOfArn(arn);
    if (!logGroupName || typeof logSettings['Format'] !== 'string')
      throw new Error(
        `${ctx.where}: AccessLogSettings needs a log group's DestinationArn and a Format; got ${JSON.stringify(logSettings)}`,
      );
    accessLog = { logGroupName, format: logSettings['Format'] };
  }
  ctx.env.http.addStage(required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')), name, variables, {
    defaultThrottle: throttleOf(ctx.properties['DefaultRouteSettings']),
    routeThrottle: Object.fromEntries(Object.entries(routes).map(([k, v]) => [k, throttleOf(v)])),
    accessLog,
  });
  return { physicalId: name };
};
