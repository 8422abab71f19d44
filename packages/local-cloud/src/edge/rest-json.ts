/** Answers of REST-JSON APIs on the edge (API Gateway v2, Schemas, Lambda). */
import type { EdgeResponse } from './http.js';

export function restJson(value: unknown, status = 200): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  };
}
