import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { customerId } from '#events/common.js';
import { EXPORT_ID_PATTERN } from '#events/orders/export-requested.js';
import { HttpError } from '#plumbing/http.js';
import { canonicalJson } from '../../http/requests.js';

export const newExportId = (): string => `exp_${randomUUID().replaceAll('-', '')}`;

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newCallbackSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The longest window one export may span: a year, leap day included. */
export const MAX_WINDOW_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host) || /^127\./.test(host);

export const exportIdParams = z.object({
  exportId: z
    .string({ error: 'exportId is required in the path' })
    .regex(
      EXPORT_ID_PATTERN,
      'exportId must be "exp_" followed by 32 hex digits, as POST /exports returns it',
    ),
});

const instant = (field: string) =>
  z.iso.datetime({
    offset: true,
    error: `${field} must be an ISO-8601 date-time with a zone, e.g. 2026-01-01T00:00:00Z`,
  });

/**
 * POST /exports body. `allowLoopbackHttp` is the stack's local-run switch:
 * only then may a callback go to http:// on a loopback host.
 */
export function requestExportBody(allowLoopbackHttp: boolean) {
  return z
    .strictObject({
      from: instant('from'),
      to: instant('to'),
      format: z.literal('csv', { error: 'format must be "csv", the one format exports support' }),
      callbackUrl: z
        .string()
        .max(2048, 'callbackUrl may be at most 2048 characters')
        .refine(URL.canParse, 'callbackUrl must be an absolute URL')
        .refine(
          (value) => {
            if (!URL.canParse(value)) return true;
            const url = new URL(value);
            if (url.protocol === 'https:') return true;
            return allowLoopbackHttp && url.protocol === 'http:' && isLoopback(url.hostname);
          },
          `callbackUrl must be https://${allowLoopbackHttp ? ' (or http:// to a loopback host)' : ''}: the notice is signed, but its content is the caller's`,
        )
        .optional(),
      customerId: customerId.optional(),
      scope: z.literal('all', { error: 'scope may only be "all"' }).optional(),
    })
    .superRefine((body, ctx) => {
      const from = Date.parse(body.from);
      const to = Date.parse(body.to);
      if (to <= from) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `to must be after from (${body.from})`,
        });
      } else if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the window from from to to may span at most ${MAX_WINDOW_DAYS} days; split it into several exports`,
        });
      }
      if (body.customerId !== undefined && body.scope !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['scope'],
          message: 'give customerId (one customer) or scope "all" (everyone), not both',
        });
      }
    });
}
export type RequestExportBody = z.infer<ReturnType<typeof requestExportBody>>;

/** SHA-256 of the canonical body and its caller: what an export's Idempotency-Key is bound to. */
export function exportRequestHash(body: RequestExportBody, caller: string): string {
  return createHash('sha256')
    .update(canonicalJson({ ...body, caller }))
    .digest('hex');
}

export function exportNotFound(exportId: string): HttpError {
  return new HttpError(
    404,
    'ExportNotFound',
    `No export has id ${exportId}; use the exportId (or Location) that POST /exports returned.`,
    { exportId },
  );
}
