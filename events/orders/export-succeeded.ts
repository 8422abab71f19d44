import * as z from 'zod';
import { defineEvent } from '../contract.js';
import { customerId } from '../common.js';
import { exportId } from './export-requested.js';

export const ExportSucceeded = defineEvent({
  source: 'shop.orders',
  detailType: 'ExportSucceeded',
  schemaVersion: 1,
  description:
    'An export is written to its object. With hasCallback, the export callback POSTs a signed notice to the caller.',
  data: z.object({
    exportId,
    requestedBy: customerId,
    rows: z.number().int().min(0),
    bytes: z.number().int().min(0),
    /** Key of the CSV in the exports bucket (the bucket is the stack's, not in the event). */
    objectKey: z.string().min(1).max(1024),
    hasCallback: z.boolean(),
  }),
});
