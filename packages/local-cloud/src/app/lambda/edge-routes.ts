/**
 * Puts Lambda's REST API on the edge, so `aws lambda invoke --endpoint-url`
 * and the SDK's LambdaClient reach the app's functions. The edge has no way to
 * remove a route, so the routes are added once per cloud and answer for
 * whichever app is loaded on it now.
 */
import type { Route } from '../../edge/http.js';
import type { EventSourceMappings } from '../esm/index.js';
import { handleLambdaApi, LAMBDA_API_PATH } from './api.js';
import { handleMappingsApi, MAPPINGS_API_PATH } from './mappings-api.js';
import type { LambdaService } from './service.js';

interface Host {
  addRoute(route: Route): void;
}

interface Slot {
  service: LambdaService | undefined;
  mappings: EventSourceMappings | undefined;
}

const current = new WeakMap<Host, Slot>();

const NO_APP = {
  status: 404,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ResourceNotFoundException',
  },
  body: JSON.stringify({ Type: 'User', message: 'No app is loaded on this local cloud' }),
};

/** Returns a function that detaches `service` (later calls answer ResourceNotFound). */
export function registerLambdaApi(
  cloud: Host,
  service: LambdaService,
  mappings?: EventSourceMappings,
): () => void {
  let slot = current.get(cloud);
  if (!slot) {
    slot = { service: undefined, mappings: undefined };
    current.set(cloud, slot);
    const s = slot;
    for (const method of ['GET', 'POST']) {
      cloud.addRoute({
        method,
        path: LAMBDA_API_PATH,
        service: 'Lambda',
        action: (m) => actionName(method, m.input ?? ''),
        async handle(req, body) {
          const url = new URL(req.url ?? '/', 'http://edge');
          if (!s.service) return NO_APP;
          return handleLambdaApi(s.service, {
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
          });
        },
      });
    }
    cloud.addRoute({
      method: 'GET',
      path: MAPPINGS_API_PATH,
      service: 'Lambda',
      action: (m) => (m[1] ? 'GetEventSourceMapping' : 'ListEventSourceMappings'),
      async handle(req, _body, m) {
        if (!s.service || !s.mappings) return NO_APP;
        const url = new URL(req.url ?? '/', 'http://edge');
        const uuid = m[1] ? decodeURIComponent(m[1]) : undefined;
        return handleMappingsApi(s.service, s.mappings, 'GET', uuid, url.searchParams);
      },
    });
  }
  slot.service = service;
  slot.mappings = mappings;
  const s = slot;
  return () => {
    if (s.service === service) {
      s.service = undefined;
      s.mappings = undefined;
    }
  };
}

function actionName(method: string, path: string): string {
  if (method === 'POST' && /\/invocations$/.test(path.split('?')[0]!)) return 'Invoke';
  if (/\/functions\/?(\?|$)/.test(path)) return 'ListFunctions';
  if (/\/configuration(\?|$)/.test(path)) return 'GetFunctionConfiguration';
  return 'GetFunction';
}
