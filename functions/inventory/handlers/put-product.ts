import * as z from 'zod';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  callerOf,
  httpHandler,
  json,
  parseBody,
  parseParams,
  requireOperator,
} from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { priceCents, productName, viewOf } from '../domain/product.js';
import { skuPath } from '../http.js';
import type { UpsertProduct } from '../ports.js';

const body = z.strictObject({ name: productName, priceCents });

/**
 * PUT /products/{sku}: creates the product (201, no stock yet) or renames/reprices
 * it (200, stock kept). Operators only (403 naming the group).
 */
export function makePutProduct(deps: { upsertProduct: UpsertProduct }) {
  return httpHandler(async (event) => {
    requireOperator(callerOf(event), 'PUT /products/{sku}');
    const { sku } = parseParams(event.pathParameters, skuPath);
    const details = parseBody(event, body);
    const { product, created } = await deps.upsertProduct({ sku, ...details });
    return created
      ? json(201, viewOf(product), { location: `/products/${sku}` })
      : json(200, viewOf(product));
  });
}

export const handler = instrument(lazyHandler(() => makePutProduct(defaultDeps())));
