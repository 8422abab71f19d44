import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  csvField,
  csvHeader,
  csvRow,
  linesField,
} from '../../../../functions/orders/domain/exports/csv.js';
import { row } from './support/fixtures.js';

/** A small RFC 4180 reader: what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      fields.push(field);
      rows.push(fields);
      fields = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('CSV encoding', () => {
  it('has a header row and ends every record with CRLF', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(csvRow(row(1)).endsWith('\r\n')).toBe(true);
    expect(csvRow(row(1)).slice(0, -2)).not.toMatch(/[\r\n]/);
  });

  it('writes plain values as they are, and the lines as one field', () => {
    const text = csvRow(
      row(2, {
        lines: [
          { sku: 'MUG-001', quantity: 2 },
          { sku: 'TEE-002', quantity: 1 },
        ],
      }),
    );
    expect(parseCsv(text)).toEqual([
      [
        row(2).orderId,
        'ada-sub',
        'CONFIRMED',
        row(2).placedAt,
        '2400',
        'USD',
        'MUG-001 x 2; TEE-002 x 1',
        '',
      ],
    ]);
    expect(linesField([{ sku: 'A', quantity: 1 }])).toBe('A x 1');
  });

  it('leaves unknown values empty (an order not priced yet)', () => {
    const fields = parseCsv(csvRow(row(1, { amountCents: undefined, currency: undefined })))[0]!;
    expect(fields[4]).toBe('');
    expect(fields[5]).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(parseCsv(`${csvField('x, "y"\r\nz')},end\r\n`)).toEqual([['x, "y"\r\nz', 'end']]);
  });

  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'escapes %j against formula injection: a leading quote, the value kept',
    (value) => {
      const encoded = csvField(value);
      expect(encoded.startsWith('"\'')).toBe(true);
      expect(parseCsv(`${encoded}\r\n`)).toEqual([[`'${value}`]]);
    },
  );

  it('escapes injection inside an order too, e.g. a SKU that is a formula', () => {
    const fields = parseCsv(csvRow(row(1, { lines: [{ sku: '=cmd', quantity: 1 }] })))[0]!;
    expect(fields[6]).toBe("'=cmd x 1");
  });

  it('leaves our own numbers alone (they cannot be formulas)', () => {
    expect(csvField(0)).toBe('0');
    expect(csvField(1200)).toBe('1200');
  });

  it('is UTF-8 text: non-ASCII passes through unchanged', () => {
    expect(csvField('Zoë’s café')).toBe('Zoë’s café');
  });
});
