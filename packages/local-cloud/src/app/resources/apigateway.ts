/** AWS::ApiGatewayV2::Api/Integration/Route/Stage for HTTP APIs with Lambda proxy integrations. */
import type { CorsConfiguration } from '../http-api/server.js';
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
  if (auth !== 'NONE')
    ctx.env.log(
      `${ctx.where}: authorization ${auth} on ${routeKey} is not enforced locally; every request passes`,
    );
  ctx.env.http.addRoute(
    required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')),
    routeKey,
    m[1]!,
    ctx.where,
  );
  return { physicalId: ctx.generateId(7, LOWER) };
};

export const stage: ResourceHandler = async (ctx) => {
  const name = required(ctx, 'StageName', prop(ctx, 'StageName', 'string'));
  const variables = (prop(ctx, 'StageVariables', 'object') ?? {}) as Record<string, string>;
  ctx.env.http.addStage(required(ctx, 'ApiId', prop(ctx, 'ApiId', 'string')), name, variables);
  return { physicalId: name };
};
