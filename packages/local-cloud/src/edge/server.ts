import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from '../core/errors.js';
import type { JsonService, Recorder } from '../core/types.js';
import {
  credentialScope,
  header,
  mediaType,
  readBody,
  type EdgeResponse,
  type Route,
} from './http.js';
import { asAwsError, jsonError, queryError } from './protocols.js';

/** A service spoken to with the query protocol (form `Action=...`, XML answers): SQS for older clients. */
export interface QueryService {
  /** Name the Recorder counts calls under, e.g. 'SQS'. */
  readonly service: string;
  /** SigV4 signing name, e.g. 'sqs'. */
  readonly signingName: string;
  readonly xmlns: string;
  /** Used to route unsigned requests: does this service have the action? */
  hasAction(action: string): boolean;
  /** Used to route requests posted to a resource URL (SQS queue URLs). */
  ownsPath(path: string): boolean;
  /** Answers the action's XML document. Throws AwsError. */
  handleQuery(
    action: string,
    params: URLSearchParams,
    path: string,
    requestId: string,
    /** The HTTP request's headers (SQS reads X-Amzn-Trace-Id). */
    headers?: IncomingMessage['headers'],
  ): Promise<string>;
}

/** A JSON-protocol service forwarded elsewhere as-is (DynamoDB to DynamoDB Local). */
export interface ProxyService {
  readonly service: string;
  readonly targetPrefix: string;
  readonly signingName: string;
  forward(action: string, body: Buffer, req: IncomingMessage): Promise<EdgeResponse>;
}

/** A service that reads and answers the raw request itself, so bodies stream both ways (S3). */
export interface StreamingService {
  /** Is this request the service's? Decided from the head, before any body is read. */
  claims(req: IncomingMessage): boolean;
  serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void>;
}

interface JsonEntry {
  svc: JsonService;
  service: string;
  signingName: string;
  namespace?: string;
  queryCompatible: boolean;
}

export interface JsonServiceOptions {
  /** Recorder name; defaults from the target prefix (AWSEvents -> EventBridge). */
  service?: string;
  /** `__type` prefix in errors, e.g. 'com.amazonaws.sqs#'. */
  namespace?: string;
  /** The service also speaks the query protocol: send `x-amzn-query-error`. */
  queryCompatible?: boolean;
}

const SERVICE_NAMES: Record<string, string> = {
  AWSEvents: 'EventBridge',
  AmazonSQS: 'SQS',
  DynamoDB_20120810: 'DynamoDB',
  DynamoDBStreams_20120810: 'DynamoDBStreams',
};

/**
 * One HTTP port in front of every emulated service, routing as AWS's front
 * doors do: by `X-Amz-Target` (JSON protocols), by form `Action` and the
 * SigV4 scope (query protocol), and by path (REST APIs, `/_local`).
 * Credentials are never checked.
 */
export class Edge {
  private readonly json = new Map<string, JsonEntry>();
  private readonly proxies = new Map<string, ProxyService>();
  private readonly query: QueryService[] = [];
  private readonly routes: Route[] = [];
  private readonly streaming: StreamingService[] = [];
  private server: Server | undefined;

  constructor(private readonly recorder: Recorder) {}

  registerJsonService(svc: JsonService, signingName: string, o: JsonServiceOptions = {}): void {
    this.json.set(svc.targetPrefix, {
      svc,
      signingName,
      service: o.service ?? SERVICE_NAMES[svc.targetPrefix] ?? svc.targetPrefix,
      namespace: o.namespace,
      queryCompatible: o.queryCompatible ?? false,
    });
  }

  registerProxy(p: ProxyService): void {
    this.proxies.set(p.targetPrefix, p);
  }

  registerQueryService(q: QueryService): void {
    this.query.push(q);
  }

  registerStreamingService(s: StreamingService): void {
    this.streaming.push(s);
  }

  addRoute(route: Route): void {
    this.routes.push(route);
  }

  /** Listens; resolves with the bound port. Rejects with a clear message if the port is taken. */
  listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    // Long polls wait up to 20 s; keep idle SDK connections a little longer than that.
    server.keepAliveTimeout = 65_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, port, host)));
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const streaming = this.streamingFor(req);
    if (streaming) {
      await streaming.serve(req, res, requestId).catch((err: unknown) => {
        console.error(`local cloud: ${req.method} ${req.url} failed:`, err);
        res.destroy();
      });
      return;
    }
    let out: EdgeResponse;
    try {
      out = await this.route(req, requestId);
    } catch (err) {
      out = jsonError(asAwsError(err), { contentType: 'application/json', requestId });
    }
    if (res.destroyed) return;
    const body = out.body ?? '';
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId, ...out.headers };
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(out.status, headers);
    res.end(body);
  }

  /** Path routes (`/_local`, Lambda's REST API) come first, as in `route`. */
  private streamingFor(req: IncomingMessage): StreamingService | undefined {
    if (this.streaming.length === 0) return undefined;
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    if (this.routes.some((r) => r.method === req.method && r.path.test(path))) return undefined;
    return this.streaming.find((s) => s.claims(req));
  }

  private async route(req: IncomingMessage, requestId: string): Promise<EdgeResponse> {
    const url = new URL(req.url ?? '/', 'http://edge');
    const method = req.method ?? 'GET';
    const body = await readBody(req);

    const scope = credentialScope(req, url);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      if (route.signingName && scope && scope.service !== route.signingName) continue;
      const match = url.pathname.match(route.path);
      if (!match) continue;
      if (route.service) {
        const action = typeof route.action === 'function' ? route.action(match) : route.action;
        this.recorder.countCall(route.service, action ?? `${method} ${url.pathname}`);
      }
      try {
        return await route.handle(req, body, match);
      } catch (err) {
        return jsonError(asAwsError(err), { contentType: 'application/json', requestId });
      }
    }

    const target = header(req, 'x-amz-target');
    if (target) return this.routeTarget(target, req, body, requestId);

    const type = mediaType(req);
    const params = new URLSearchParams(url.search);
    if (type === 'application/x-www-form-urlencoded') {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    }
    const action = params.get('Action');
    if (action) return this.routeQuery(action, params, req, url, requestId);

    return unknownRoute(req, url, type, requestId);
  }

  private async routeTarget(
    target: string,
    req: IncomingMessage,
    body: Buffer,
    requestId: string,
  ): Promise<EdgeResponse> {
    const dot = target.lastIndexOf('.');
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const action = dot < 0 ? '' : target.slice(dot + 1);
    const type = mediaType(req);
    const contentType = type.startsWith('application/x-amz-json-')
      ? type
      : 'application/x-amz-json-1.1';

    const proxy = this.proxies.get(prefix);
    if (proxy) {
      this.recorder.countCall(proxy.service, action);
      try {
        return await proxy.forward(action, body, req);
      } catch (err) {
        return jsonError(asAwsError(err), { contentType, requestId });
      }
    }

    const entry = this.json.get(prefix);
    if (!entry) {
      const known = [...this.json.keys(), ...this.proxies.keys()].sort().join(', ');
      const err = new AwsError(
        'UnknownOperationException',
        `The local cloud does not emulate X-Amz-Target '${target}'. Emulated target prefixes: ${known}.`,
      );
      return jsonError(err, { contentType, requestId });
    }
    this.recorder.countCall(entry.service, action);
    const errorOptions = {
      contentType,
      requestId,
      namespace: entry.namespace,
      queryCompatible: entry.queryCompatible,
    };
    try {
      const input = parseJson(body);
      const result = await entry.svc.handle(action, input, { headers: req.headers });
      return {
        status: 200,
        headers: { 'content-type': contentType },
        body: JSON.stringify(result ?? {}),
      };
    } catch (err) {
      return jsonError(asAwsError(err), errorOptions);
    }
  }

  private async routeQuery(
    action: string,
    params: URLSearchParams,
    req: IncomingMessage,
    url: URL,
    requestId: string,
  ): Promise<EdgeResponse> {
    const scope = credentialScope(req, url);
    const svc = scope
      ? this.query.find((q) => q.signingName === scope.service)
      : (this.query.find((q) => q.ownsPath(url.pathname)) ??
        this.query.find((q) => q.hasAction(action)));
    if (!svc) {
      const emulated = this.query.map((q) => q.signingName).join(', ');
      const err = new AwsError(
        'InvalidAction',
        scope
          ? `The local cloud received a query-protocol request (Action=${action}) signed for service '${scope.service}', which it does not emulate over the query protocol (emulated: ${emulated}).`
          : `The local cloud does not know the query-protocol action '${action}' (emulated services: ${emulated}).`,
      );
      return queryError(err, requestId, 'https://local-cloud/doc/');
    }
    this.recorder.countCall(svc.service, action);
    try {
      const xml = await svc.handleQuery(action, params, url.pathname, requestId, req.headers);
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: xml };
    } catch (err) {
      return queryError(asAwsError(err), requestId, svc.xmlns);
    }
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function unknownRoute(
  req: IncomingMessage,
  url: URL,
  type: string,
  requestId: string,
): EdgeResponse {
  const err = new AwsError(
    'UnknownOperationException',
    `No local cloud route for ${req.method ?? 'GET'} ${url.pathname} ` +
      `(Content-Type: ${type || 'none'}, X-Amz-Target: none, form Action: none). ` +
      'Requests are routed by the X-Amz-Target header (JSON protocols), a form Action ' +
      '(query protocol), or a known path such as /_local/health.',
    404,
  );
  return jsonError(err, { contentType: 'application/json', requestId });
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  if (err.code === 'EADDRINUSE') {
    return new Error(
      `Port ${port} on ${host} is already in use (is another local cloud running?). ` +
        'Choose another port with --port <n> or LOCAL_CLOUD_PORT=<n> (0 picks a free one).',
      { cause: err },
    );
  }
  if (err.code === 'EACCES') {
    return new Error(
      `Not allowed to listen on port ${port} on ${host}. ` +
        'Choose a port above 1023 with --port <n> or LOCAL_CLOUD_PORT=<n>.',
      { cause: err },
    );
  }
  return err;
}
