/**
 * API Gateway v2's read API (REST-JSON, `/v2/apis...`) for the HTTP APIs the
 * local cloud deployed: GetApis, GetApi, GetRoutes, GetStages, read from the
 * deployed AWS::ApiGatewayV2::Api / Route / Stage resources.
 */
import { AwsError } from '../core/errors.js';
import type { DeployedResource, Deployments } from '../cloudformation/deployments.js';
import type { Route } from '../edge/http.js';
import { restJson } from '../edge/rest-json.js';

const EMULATED =
  'GetApis (GET /v2/apis), GetApi, GetRoutes (GET /v2/apis/{apiId}/routes), GetStages (GET /v2/apis/{apiId}/stages)';

export function apiGatewayV2Routes(deployments: Deployments): Route[] {
  const byType = (type: string) => deployments.resources(type).map((x) => x.resource);
  const apiOf = (apiId: string): DeployedResource => {
    const api = byType('AWS::ApiGatewayV2::Api').find((r) => r.physicalId === apiId);
    if (!api)
      throw new AwsError(
        'NotFoundException',
        `Invalid API identifier specified ${apiId}. APIs here: ${
          byType('AWS::ApiGatewayV2::Api')
            .map((r) => r.physicalId)
            .join(', ') || 'none'
        }.`,
        404,
      );
    return api;
  };
  const ofApi = (type: string, apiId: string) =>
    byType(type).filter((r) => r.properties['ApiId'] === apiId);

  return [
    {
      method: 'GET',
      path: /^\/v2\/apis\/?$/,
      service: 'ApiGatewayV2',
      action: 'GetApis',
      handle: async () => restJson({ items: byType('AWS::ApiGatewayV2::Api').map(describeApi) }),
    },
    {
      method: 'GET',
      path: /^\/v2\/apis\/([^/]+)\/?$/,
      service: 'ApiGatewayV2',
      action: 'GetApi',
      handle: async (_req, _body, m) => restJson(describeApi(apiOf(decodeURIComponent(m[1]!)))),
    },
    {
      method: 'GET',
      path: /^\/v2\/apis\/([^/]+)\/routes\/?$/,
      service: 'ApiGatewayV2',
      action: 'GetRoutes',
      handle: async (_req, _body, m) => {
        const apiId = apiOf(decodeURIComponent(m[1]!)).physicalId;
        return restJson({
          items: ofApi('AWS::ApiGatewayV2::Route', apiId).map((r) => ({
            routeId: r.physicalId,
            routeKey: r.properties['RouteKey'],
            target: r.properties['Target'],
            authorizationType: r.properties['AuthorizationType'] ?? 'NONE',
            ...(r.properties['AuthorizerId'] !== undefined && {
              authorizerId: r.properties['AuthorizerId'],
            }),
            apiKeyRequired: r.properties['ApiKeyRequired'] === true,
            apiGatewayManaged: false,
          })),
        });
      },
    },
    {
      method: 'GET',
      path: /^\/v2\/apis\/([^/]+)\/stages\/?$/,
      service: 'ApiGatewayV2',
      action: 'GetStages',
      handle: async (_req, _body, m) => {
        const apiId = apiOf(decodeURIComponent(m[1]!)).physicalId;
        return restJson({
          items: ofApi('AWS::ApiGatewayV2::Stage', apiId).map((s) => ({
            stageName: s.physicalId,
            autoDeploy: s.properties['AutoDeploy'] === true,
            stageVariables: s.properties['StageVariables'] ?? {},
            ...(s.properties['AccessLogSettings'] !== undefined && {
              accessLogSettings: lowerKeys(s.properties['AccessLogSettings']),
            }),
            ...(s.properties['DefaultRouteSettings'] !== undefined && {
              defaultRouteSettings: lowerKeys(s.properties['DefaultRouteSettings']),
            }),
            apiGatewayManaged: false,
          })),
        });
      },
    },
    ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({
      method,
      path: /^\/v2\//,
      handle: async (): Promise<never> => {
        throw new AwsError(
          'NotFoundException',
          `The local API Gateway v2 does not emulate ${method} on this path; it emulates ${EMULATED}.`,
          404,
        );
      },
    })),
  ];
}

function describeApi(api: DeployedResource) {
  const p = api.properties;
  return {
    apiId: api.physicalId,
    name: p['Name'] ?? api.logicalId,
    protocolType: p['ProtocolType'] ?? 'HTTP',
    apiEndpoint: api.attributes['ApiEndpoint'],
    routeSelectionExpression: p['RouteSelectionExpression'] ?? '$request.method $request.path',
    apiKeySelectionExpression: '$request.header.x-api-key',
    disableExecuteApiEndpoint: p['DisableExecuteApiEndpoint'] === true,
    ...(p['Description'] !== undefined && { description: p['Description'] }),
    ...(p['CorsConfiguration'] !== undefined && {
      corsConfiguration: lowerKeys(p['CorsConfiguration']),
    }),
    tags: p['Tags'] ?? {},
  };
}

/** CloudFormation's `AllowOrigins` is the API's `allowOrigins`. */
function lowerKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]),
  );
}
