/**
 * CSV as RFC 4180 says (comma-separated, CRLF line ends, fields with a comma,
 * a quote or a line break quoted, quotes doubled), UTF-8, with a header row.
 * Text that a spreadsheet would run as a formula (it begins with = + - @, a tab
 * or a carriage return, the OWASP list) is prefixed with a single quote and
 * quoted, so opening an export never executes a customer's SKU or reason.
 */

/** One order as an export shows it: what the orders service knows of it. */
export interface ExportRow {
  orderId: string;
  customerId: string;
  status: string;
  placedAt: string;
  /** Unknown until inventory priced the order. */
  amountCents?: number;
  currency?: string;
  lines: readonly { sku: string; quantity: number }[];
  cancellationReason?: string;
}

export const CSV_COLUMNS = [
  'orderId',
  'customerId',
  'status',
  'placedAt',
  'amountCents',
  'currency',
  'lines',
  'cancellationReason',
] as const;

const CRLF = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One text field, escaped against formula injection and quoted when RFC 4180 needs it. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  // Numbers are ours (counts, cents): written as they are.
  if (typeof value === 'number') return String(value);
  const guarded = FORMULA_START.test(value);
  const text = guarded ? `'${value}` : value;
  if (!guarded && !NEEDS_QUOTES.test(text)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The lines of an order as one field: `MUG-001 x 2; TEE-002 x 1`. */
export function linesField(lines: ExportRow['lines']): string {
  return lines.map((l) => `${l.sku} x ${l.quantity}`).join('; ');
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + CRLF;
}

export function csvRow(row: ExportRow): string {
  return (
    [
      csvField(row.orderId),
      csvField(row.customerId),
      csvField(row.status),
      csvField(row.placedAt),
      csvField(row.amountCents),
      csvField(row.currency),
      csvField(linesField(row.lines)),
      csvField(row.cancellationReason),
    ].join(',') + CRLF
  );
}
