import * as z from 'zod';
import { sku } from '#events/common.js';
import { HttpError } from '#plumbing/http.js';

/** The `{sku}` path parameter, validated with the contract's own sku schema. */
export const skuPath = z.object({ sku });

export function productNotFound(skuValue: string): HttpError {
  return new HttpError(
    404,
    'ProductNotFound',
    `No product with sku "${skuValue}"; create it with PUT /products/${skuValue} first.`,
    { field: 'sku' },
  );
}
