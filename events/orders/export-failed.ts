import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId } from '../common.js';
import { exportId } from './export-requested.js';

/** Why an export failed, in terms the caller can act on. */
export const exportFailureReason = z.object({
  code: z.enum(['TooManyRows', 'ExportError']),
  message: z.string().min(1).max(1000),
});

export const ExportFailed = defineEvent({
  source: 'shop.orders',
  detailType: 'ExportFailed',
  schemaVersion: 1,
  description:
    'An export could not be written; the reason says what to change. With hasCallback, the export callback POSTs a signed notice to the caller.',
  data: z.object({
    exportId,
    requestedBy: customerId,
    reason: exportFailureReason,
    hasCallback: z.boolean(),
  }),
});
