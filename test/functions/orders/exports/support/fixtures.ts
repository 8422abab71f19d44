import type { ExportRow } from '../../../../../functions/orders/domain/exports/csv.js';
import type { RequestExport } from '../../../../../functions/orders/domain/exports/messages.js';

export const EXPORT_ID = 'exp_0123456789abcdef0123456789abcdef';
export const ADA = 'ada-sub';
export const GRACE = 'grace-sub';
export const T0 = Date.parse('2026-12-02T10:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
export const SEALED =
  'pii:v1:ZW5jcnlwdGVkLWtleS0xMjM0:aXYtaXYtaXYtaXY:dGFnLXRhZy10YWctdGFnLXRhZw:c2VjcmV0';

export const requestExport = (
  data: Partial<RequestExport['data']> = {},
  when = at(0),
): RequestExport => ({
  type: 'RequestExport',
  at: when,
  data: {
    exportId: EXPORT_ID,
    requestedBy: ADA,
    scope: { kind: 'customer', customerId: ADA },
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    format: 'csv',
    ...data,
  },
});

export const row = (n: number, more: Partial<ExportRow> = {}): ExportRow => ({
  orderId: `ord_${String(n).padStart(32, '0')}`,
  customerId: ADA,
  status: 'CONFIRMED',
  placedAt: new Date(Date.parse('2026-11-02T00:00:00.000Z') + n * 1000).toISOString(),
  amountCents: 1200 * n,
  currency: 'USD',
  lines: [{ sku: 'MUG-001', quantity: n }],
  ...more,
});
