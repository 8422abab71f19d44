import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { httpHandler, json, parseParams } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { viewOf } from '../domain/product.js';
import { productNotFound, skuPath } from '../http.js';
import type { GetProduct } from '../ports.js';

/** GET /products/{sku}: the catalog entry and its stock. */
export function makeGetProduct(deps: { getProduct: GetProduct }) {
  return httpHandler(async (event) => {
    const { sku } = parseParams(event.pathParameters, skuPath);
    const product = await deps.getProduct(sku);
    if (!product) throw productNotFound(sku);
    return json(200, viewOf(product));
  });
}

export const handler = instrument(lazyHandler(() => makeGetProduct(defaultDeps())));
