import { z } from 'zod';
import { shipmentId } from '#events/common.js';
import { HttpError, httpHandler, json, parseParams, type HttpEvent } from '#plumbing/http.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultDeps } from '../adapters/default-deps.js';
import type { LoadShipment } from '../ports.js';
import { view } from './view.js';

const params = z.strictObject({ shipmentId });

export function makeGetShipment(deps: { load: LoadShipment }) {
  return httpHandler(async (event: HttpEvent) => {
    const { shipmentId: id } = parseParams(event.pathParameters, params);
    const stored = await deps.load(id);
    if (!stored || stored.state.status === 'NONE' || stored.state.status === 'VOID') {
      throw new HttpError(
        404,
        'NotFound',
        `No shipment ${id}. A confirmed order's shipment is shp_<orderId>; it exists once the order is CONFIRMED.`,
      );
    }
    return json(200, view(stored.state));
  });
}

export const handler = instrument(lazyHandler(() => makeGetShipment(defaultDeps())));
