/**
 * The app's HTTP APIs (AWS::ApiGatewayV2, protocol HTTP) served on one local
 * port. The loader declares APIs, integrations, routes and stages as it meets
 * them in the templates; the server answers with the routes known at the time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogStore } from '../../logs/store.js';
import { ThrottledError } from '../lambda/function.js';
import type { LambdaService } from '../lambda/service.js';
import { renderAccessLog, type AccessLogSettings } from './access-log.js';
import { JwtAuthorizers, type JwtAuthorizerDefinition } from './jwt-authorizer.js';
import {
  apiRequestId,
  buildEvent,
  jsonMessage,
  mapResult,
  requestTime,
  type ProxyResponse,
} from './payload.js';
import { RouteTable } from './routes.js';
import { StageThrottle, type ThrottleSettings } from './throttle.js';

export interface CorsConfiguration {
  readonly AllowOrigins?: readonly string[];
  readonly AllowMethods?: readonly string[];
  readonly AllowHeaders?: readonly string[];
  readonly ExposeHeaders?: readonly string[];
  readonly AllowCredentials?: boolean;
  readonly MaxAge?: number;
}

export interface ApiDefinition {
  readonly apiId: string;
  readonly name: string;
  readonly where: string;
  readonly cors?: CorsConfiguration;
}

export interface IntegrationDefinition {
  readonly integrationId: string;
  readonly apiId: string;
  /** The function's name or ARN (from `IntegrationUri`). */
  readonly functionRef: string;
  readonly timeoutMs: number;
  readonly where: string;
}

/** A route's AuthorizationType JWT: its authorizer and the scopes it requires. */
export interface RouteAuthorization {
  readonly authorizerId: string;
  readonly scopes: readonly string[];
}

export interface StageSettings {
  readonly defaultThrottle?: ThrottleSettings;
  readonly routeThrottle?: Readonly<Record<string, ThrottleSettings>>;
  readonly accessLog?: AccessLogSettings;
}

export interface HttpApiOptions {
  /** The edge, where the local Cognito pools serve their JWKS. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Where access logs are appended. */
  readonly logs?: LogStore;
}

interface RouteTarget {
  readonly apiId: string;
  readonly integrationId: string;
  readonly where: string;
  readonly auth?: RouteAuthorization;
}

interface Stage {
  readonly name: string;
  readonly variables: Record<string, string>;
  readonly throttle: StageThrottle;
  readonly accessLog?: AccessLogSettings;
}

/** What one request's access log line is made of. */
interface RequestTrace {
  routeKey?: string;
  stage?: Stage;
  apiId?: string;
  sub?: string;
  claims?: Record<string, string>;
  errorMessage?: string;
  integrationErrorMessage?: string;
  integrationStatus?: number;
  integrationLatency?: number;
}

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY = 10 * 1024 * 1024;

export class HttpApiServer {
  private readonly apis = new Map<string, ApiDefinition>();
  private readonly integrations = new Map<string, IntegrationDefinition>();
  private readonly stages = new Map<string, Stage[]>();
  private readonly authorizers = new Map<string, JwtAuthorizerDefinition>();
  private readonly jwt: JwtAuthorizers;
  /** One table per stage path prefix ('' for `$default`). */
  private readonly tables = new Map<string, RouteTable<RouteTarget>>();
  private readonly routeSources = new Map<string, RouteTarget[]>();
  private server: Server | undefined;
  private baseUrl = '';

  constructor(
    private readonly lambda: LambdaService,
    private readonly log: (line: string) => void,
    private readonly options: HttpApiOptions = {},
  ) {
    this.jwt = new JwtAuthorizers(options.endpoint);
  }

  get url(): string {
    return this.baseUrl;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new Error(
                `the HTTP API port ${port} is taken: choose another with --api-port (0 picks a free one)`,
              )
            : e,
        ),
      );
      server.listen(port, host, () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    this.baseUrl = `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${bound}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  addApi(api: ApiDefinition): void {
    this.apis.set(api.apiId, api);
  }

  addIntegration(i: IntegrationDefinition): void {
    this.integrations.set(i.integrationId, i);
  }

  addAuthorizer(a: JwtAuthorizerDefinition): void {
    this.authorizers.set(a.authorizerId, a);
  }

  addStage(
    apiId: string,
    name: string,
    variables: Record<string, string> = {},
    settings: StageSettings = {},
  ): void {
    const list = this.stages.get(apiId) ?? [];
    const throttle = new StageThrottle(
      settings.defaultThrottle ?? {},
      settings.routeThrottle ?? {},
    );
    list.push({ name, variables, throttle, accessLog: settings.accessLog });
    this.stages.set(apiId, list);
    this.rebuild();
  }

  addRoute(
    apiId: string,
    routeKey: string,
    integrationId: string,
    where: string,
    auth?: RouteAuthorization,
  ): void {
    const list = this.routeSources.get(routeKey) ?? [];
    const target = { apiId, integrationId, where, auth };
    list.push(target);
    this.routeSources.set(routeKey, list);
    try {
      this.rebuild();
    } catch (e) {
      list.splice(list.indexOf(target), 1); // keep serving what was there
      this.rebuild();
      throw e;
    }
  }

  /** Route keys per stage prefix, for the start-up banner and tests. */
  routes(): { prefix: string; routeKey: string; where: string }[] {
    const out: { prefix: string; routeKey: string; where: string }[] = [];
    for (const [routeKey, targets] of this.routeSources)
      for (const t of targets)
        for (const s of this.stages.get(t.apiId) ?? [])
          out.push({ prefix: s.name === '$default' ? '' : `/${s.name}`, routeKey, where: t.where });
    return out;
  }

  /** All APIs share the port: two APIs may not claim the same route on the same stage path. */
  private rebuild(): void {
    this.tables.clear();
    for (const [routeKey, targets] of this.routeSources) {
      for (const t of targets) {
        for (const stage of this.stages.get(t.apiId) ?? []) {
          const prefix = stage.name === '$default' ? '' : `/${stage.name}`;
          let table = this.tables.get(prefix);
          if (!table) this.tables.set(prefix, (table = new RouteTable()));
          try {
            table.add({ routeKey, target: t });
          } catch (e) {
            const others = targets.filter((o) => o !== t).map((o) => o.where);
            throw new Error(
              `${t.where}: ${(e as Error).message}${others.length ? ` (also in ${others.join(', ')})` : ''}; ` +
                'the local cloud serves every HTTP API on one port, so route keys must not repeat across APIs on a stage',
            );
          }
        }
      }
    }
  }

  private stageFor(path: string): { prefix: string; table: RouteTable<RouteTarget> } | undefined {
    for (const [prefix, table] of this.tables)
      if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) return { prefix, table };
    const root = this.tables.get('');
    return root ? { prefix: '', table: root } : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let out: ProxyResponse;
    const requestId = apiRequestId();
    const started = new Date();
    const trace: RequestTrace = {};
    try {
      out = await this.answer(req, requestId, trace);
    } catch (e) {
      this.log(
        `HTTP API: ${req.method} ${req.url} failed inside the local cloud: ${(e as Error).stack ?? e}`,
      );
      out = jsonMessage(500, 'Internal Server Error');
    }
    this.accessLog(req, requestId, started, out, trace);
    if (res.destroyed) return;
    const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
    for (const [k, v] of out.headers) {
      const key = k.toLowerCase();
      const prev = headers[key];
      headers[key] = key === 'set-cookie' ? [...(Array.isArray(prev) ? prev : []), v] : v;
    }
    headers['content-length'] = String(out.body.length);
    res.writeHead(out.status, headers);
    res.end(out.body);
  }

  /** One line in the stage's access log group, if the stage has AccessLogSettings. */
  private accessLog(
    req: IncomingMessage,
    requestId: string,
    started: Date,
    out: ProxyResponse,
    t: RequestTrace,
  ): void {
    const settings = t.stage?.accessLog;
    const logs = this.options.logs;
    if (!settings || !logs) return;
    const path = (req.url ?? '/').split('?')[0]!;
    const context: Record<string, string | number | undefined> = {
      requestId,
      extendedRequestId: requestId,
      apiId: t.apiId,
      accountId: this.lambda.accountId,
      stage: t.stage?.name,
      routeKey: t.routeKey ?? '-',
      status: out.status,
      responseLength: out.body.length,
      responseLatency: Date.now() - started.getTime(),
      integrationLatency: t.integrationLatency,
      'integration.latency': t.integrationLatency,
      integrationStatus: t.integrationStatus,
      'integration.status': t.integrationStatus,
      integrationErrorMessage: t.integrationErrorMessage,
      'integration.error': t.integrationErrorMessage,
      'error.message': t.errorMessage,
      'identity.sourceIp': (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      'identity.userAgent': req.headers['user-agent'],
      httpMethod: req.method,
      path,
      protocol: `HTTP/${req.httpVersion}`,
      requestTime: requestTime(started),
      requestTimeEpoch: started.getTime(),
      domainName: (req.headers['host'] ?? 'localhost').split(':')[0],
      'authorizer.claims.sub': t.sub,
      'authorizer.principalId': t.sub,
    };
    for (const [k, v] of Object.entries(t.claims ?? {})) context[`authorizer.claims.${k}`] = v;
    const line = renderAccessLog(settings.format, context);
    // API Gateway writes an HTTP API's access logs to a stream named after the API and stage.
    logs.append(
      settings.logGroupName,
      `${t.apiId ?? 'unknown'}_${t.stage?.name ?? '$default'}`,
      line,
      started.getTime(),
    );
  }

  private async answer(
    req: IncomingMessage,
    requestId: string,
    trace: RequestTrace,
  ): Promise<ProxyResponse> {
    const body = await readBody(req);
    if (body === undefined) return jsonMessage(413, 'Request Entity Too Large');
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const method = req.method ?? 'GET';
    const stage = this.stageFor(path);
    const routePath = stage ? path.slice(stage.prefix.length) || '/' : path;
    const match = stage?.table.match(method, routePath);

    if (!match) {
      const preflight = method === 'OPTIONS' ? this.preflight(req) : undefined;
      return preflight ?? jsonMessage(404, 'Not Found');
    }
    const target = match.entry.target;
    const stageName = stage?.prefix ? stage.prefix.slice(1) : '$default';
    const stageEntry = this.stages.get(target.apiId)?.find((s) => s.name === stageName);
    trace.routeKey = match.entry.routeKey;
    trace.stage = stageEntry;
    trace.apiId = target.apiId;
    const api = this.apis.get(target.apiId);
    if (stageEntry && !stageEntry.throttle.take(match.entry.routeKey)) {
      trace.errorMessage = 'Too Many Requests';
      return this.withCors(req, api, jsonMessage(429, 'Too Many Requests'));
    }
    let authorizer:
      { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
    if (target.auth) {
      const def = this.authorizers.get(target.auth.authorizerId);
      if (!def)
        throw new Error(`${target.where}: authorizer ${target.auth.authorizerId} is not known`);
      const outcome = await this.jwt.authorize(def, req.headers, target.auth.scopes);
      if (!outcome.ok) {
        const message = outcome.status === 401 ? 'Unauthorized' : 'Forbidden';
        trace.errorMessage = message;
        const denied = jsonMessage(outcome.status, message);
        if (outcome.wwwAuthenticate)
          denied.headers.push(['www-authenticate', outcome.wwwAuthenticate]);
        return this.withCors(req, api, denied);
      }
      trace.sub = outcome.claims['sub'];
      trace.claims = outcome.claims;
      authorizer = { jwt: { claims: outcome.claims, scopes: outcome.scopes } };
    }
    const integration = this.integrations.get(target.integrationId);
    if (!integration)
      throw new Error(`${target.where}: integration ${target.integrationId} is not known`);
    const fn = this.lambda.find(integration.functionRef);
    if (!fn)
      throw new Error(`${integration.where}: function ${integration.functionRef} is not known`);

    const variables = stageEntry?.variables;
    const event = buildEvent(
      {
        method,
        url,
        headers: pairs(req.rawHeaders),
        body,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        protocol: `HTTP/${req.httpVersion}`,
      },
      {
        routeKey: match.entry.routeKey,
        pathParameters: match.pathParameters,
        stage: stageName,
        stageVariables: variables,
        apiId: target.apiId,
        accountId: this.lambda.accountId,
        requestId,
        authorizer,
      },
    );

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), integration.timeoutMs)),
    );
    let outcome;
    const invoked = Date.now();
    try {
      outcome = await Promise.race([
        fn.invoke(event, { wait: fn.config.reservedConcurrency === undefined }),
        timeout,
      ]);
    } catch (e) {
      if (!(e instanceof ThrottledError)) throw e;
      this.log(`[${fn.config.label}] throttled: HTTP API answers 500`);
      return this.withCors(req, api, jsonMessage(500, 'Internal Server Error'));
    } finally {
      clearTimeout(timer);
      trace.integrationLatency = Date.now() - invoked;
    }
    if (outcome === 'timeout') {
      trace.integrationErrorMessage = 'Network error communicating with endpoint';
      this.log(
        `[${fn.config.label}] the integration timed out after ${integration.timeoutMs} ms: HTTP API answers 503`,
      );
      return this.withCors(req, api, jsonMessage(503, 'Service Unavailable'));
    }
    if (!outcome.ok) {
      trace.integrationStatus = 200;
      trace.integrationErrorMessage =
        'The Lambda function returned the following error: ' + outcome.error.errorType;
      return this.withCors(req, api, jsonMessage(500, 'Internal Server Error'));
    }
    trace.integrationStatus = 200;
    return this.withCors(req, api, mapResult(outcome.payload));
  }

  /** API Gateway answers CORS preflight itself when the API has a CORS configuration. */
  private preflight(req: IncomingMessage): ProxyResponse | undefined {
    const origin = req.headers['origin'];
    const cors = [...this.apis.values()].find((a) => a.cors)?.cors;
    if (!cors || typeof origin !== 'string' || !req.headers['access-control-request-method'])
      return undefined;
    if (!originAllowed(cors, origin)) return { status: 204, headers: [], body: Buffer.alloc(0) };
    const headers: Array<[string, string]> = [
      ['access-control-allow-origin', cors.AllowOrigins?.includes('*') ? '*' : origin],
    ];
    if (cors.AllowMethods?.length)
      headers.push(['access-control-allow-methods', cors.AllowMethods.join(',')]);
    if (cors.AllowHeaders?.length)
      headers.push(['access-control-allow-headers', cors.AllowHeaders.join(',')]);
    if (cors.AllowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.MaxAge !== undefined) headers.push(['access-control-max-age', String(cors.MaxAge)]);
    return { status: 204, headers, body: Buffer.alloc(0) };
  }

  private withCors(
    req: IncomingMessage,
    api: ApiDefinition | undefined,
    out: ProxyResponse,
  ): ProxyResponse {
    const origin = req.headers['origin'];
    const cors = api?.cors;
    if (!cors || typeof origin !== 'string' || !originAllowed(cors, origin)) return out;
    const headers = out.headers.filter(([h]) => !h.toLowerCase().startsWith('access-control-'));
    headers.push(['access-control-allow-origin', cors.AllowOrigins?.includes('*') ? '*' : origin]);
    if (cors.AllowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.ExposeHeaders?.length)
      headers.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
    return { ...out, headers };
  }
}

function originAllowed(cors: CorsConfiguration, origin: string): boolean {
  return (cors.AllowOrigins ?? []).some((o) => o === '*' || o === origin);
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
