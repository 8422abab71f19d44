import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId } from '../common.js';

/** Export ids are the orders service's: `exp_` and 32 hex digits. */
export const EXPORT_ID_PATTERN = /^exp_[0-9a-f]{32}$/;
export const exportId = z
  .string()
  .regex(EXPORT_ID_PATTERN, 'exportId must be "exp_" followed by 32 hex digits');

/** Whose orders an export holds: one customer's, or everyone's (an operator's sales report). */
export const exportScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer'), customerId }),
  z.object({ kind: z.literal('all') }),
]);

export const exportFormat = z.literal('csv');

const instant = z.iso.datetime({ offset: true });

export const ExportRequested = defineEvent({
  source: 'shop.orders',
  detailType: 'ExportRequested',
  schemaVersion: 1,
  description:
    "An export of orders placed in [from, to) was accepted. The orders service's export worker writes it; the callback URL and its secret stay in the table, never in the event.",
  data: z.object({
    exportId,
    /** The caller who asked: the owner of the export. */
    requestedBy: customerId,
    scope: exportScope,
    from: instant,
    to: instant,
    format: exportFormat,
    /** Whether completion is reported to a callback URL. */
    hasCallback: z.boolean(),
  }),
});
