import { AwsError } from '../core/errors.js';
import type { Recorder } from '../core/types.js';
import type { EdgeResponse, Route } from './http.js';

/** What `/_local/health` reports. */
export interface Health {
  status: 'ok';
  endpoint: string;
  accountId: string;
  region: string;
  services: string[];
  startedAt: string;
}

/** The local cloud's own observation endpoints, under `/_local` (not counted as API calls). */
export function localRoutes(recorder: Recorder, health: () => Health): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/_local\/health\/?$/,
      handle: async () => json(health()),
    },
    {
      method: 'GET',
      path: /^\/_local\/metrics\/?$/,
      handle: async () => json(recorder.metrics()),
    },
    {
      method: 'GET',
      path: /^\/_local\/events\/?$/,
      handle: async (req) => {
        const url = new URL(req.url ?? '/', 'http://edge');
        const sinceText = url.searchParams.get('since');
        const since = sinceText === null ? undefined : Number(sinceText);
        if (since !== undefined && !Number.isInteger(since)) {
          throw new AwsError(
            'ValidationException',
            `Query parameter since must be an integer sequence number; received '${sinceText}'.`,
          );
        }
        const correlationId = url.searchParams.get('correlationId') ?? undefined;
        const events = recorder.events({ since, correlationId });
        return json({ events, lastSeq: events.at(-1)?.seq ?? since ?? 0 });
      },
    },
  ];
}

function json(value: unknown): EdgeResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  };
}
