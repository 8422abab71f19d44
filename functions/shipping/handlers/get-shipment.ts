import { z } from 'zod';
import { shipmentId } from '#events/common.js';
import { HttpError, httpHandler, json, parseParams, type HttpEvent } from '#plumbing/http.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import type { DecryptPii } from '#plumbing/pii.js';
import { defaultDeps } from '../adapters/default-deps.js';
import type { Address } from '../domain/state.js';
import type { LoadShipment } from '../ports.js';
import { view } from './view.js';

const params = z.strictObject({ shipmentId });

/** GET /shipments/{id}: the shipment, its address opened for this answer only. */
export function makeGetShipment(deps: { load: LoadShipment; decryptPii: DecryptPii }) {
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
    const { shippingAddressCiphertext, orderId } = stored.state;
    const address = await deps.decryptPii('shippingAddress', shippingAddressCiphertext, orderId);
    return json(200, view(stored.state, JSON.parse(address) as Address));
  });
}

export const handler = instrument(lazyHandler(() => makeGetShipment(defaultDeps())));
