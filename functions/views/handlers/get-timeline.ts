import * as z from 'zod';
import { orderId } from '#events/common.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { HttpError, callerOf, httpHandler, json, mayAccess, parseParams } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { timelineOf } from '../domain/render.js';
import type { LoadView, ReadPointer } from '../ports.js';

const path = z.object({ orderId });

export interface GetTimelineDeps {
  readPointer: ReadPointer;
  load: LoadView;
}

/**
 * GET /orders/{orderId}/timeline: the events that made the order's view, in
 * causal order. Someone else's order is a 404, exactly like one not (yet) projected.
 */
export function makeGetTimeline(deps: GetTimelineDeps) {
  return httpHandler(async (event) => {
    const caller = callerOf(event);
    const { orderId: id } = parseParams(event.pathParameters, path);
    const { active } = await deps.readPointer();
    const stored = await deps.load(active, id);
    if (!stored || !mayAccess(caller, stored.view.customerId)) {
      throw new HttpError(
        404,
        'NotFound',
        `No timeline for order ${id}: it is not one of yours, or its first event has not reached the read model yet (it lags the saga by one queue hop).`,
        { orderId: id },
      );
    }
    return json(200, timelineOf(stored.view));
  });
}

export const handler = instrument(lazyHandler(() => makeGetTimeline(defaultDeps())));
