import * as z from 'zod';
import { shipmentId } from '#events/common.js';
import {
  HttpError,
  callerOf,
  httpHandler,
  json,
  mayAccess,
  parseParams,
  type HttpEvent,
} from '#plumbing/http.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import type { DecryptPii } from '#plumbing/pii.js';
import { defaultDeps } from '../adapters/default-deps.js';
import type { Address } from '../domain/state.js';
import type { LoadShipment } from '../ports.js';
import { view } from './view.js';

const params = z.strictObject({ shipmentId });

/**
 * GET /shipments/{id}: the shipment, its address opened for this answer only,
 * to the order's customer or an operator; anyone else gets the 404 of a
 * shipment that does not exist (and nothing is decrypted for them).
 */
export function makeGetShipment(deps: { load: LoadShipment; decryptPii: DecryptPii }) {
  return httpHandler(async (event: HttpEvent) => {
    const caller = callerOf(event);
    const { shipmentId: id } = parseParams(event.pathParameters, params);
    const stored = await deps.load(id);
    if (
      !stored ||
      stored.state.status === 'NONE' ||
      stored.state.status === 'VOID' ||
      !mayAccess(caller, stored.state.customerId)
    ) {
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
