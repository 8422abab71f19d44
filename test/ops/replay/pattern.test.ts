import { describe, expect, it } from 'vitest';
import { intersect, PatternConflict, patternFromFlags } from '../../../ops/replay/pattern.js';
import { UsageError } from '../../../ops/shared/cli.js';

const rule = { source: [{ prefix: 'shop.' }], 'detail-type': ['StockReserved', 'OrderCancelled'] };

describe('intersect', () => {
  it('keeps the fields of both and the common exact values', () => {
    expect(intersect({ 'detail-type': ['OrderCancelled', 'OrderPlaced'] }, rule)).toEqual({
      'detail-type': ['OrderCancelled'],
      source: [{ prefix: 'shop.' }],
    });
  });

  it('merges nested detail fields', () => {
    expect(
      intersect(
        { detail: { data: { reason: ['OUT_OF_STOCK'] } } },
        { detail: { metadata: { schemaVersion: [1] } } },
      ),
    ).toEqual({ detail: { data: { reason: ['OUT_OF_STOCK'] }, metadata: { schemaVersion: [1] } } });
  });

  it('is null when no event can match both', () => {
    expect(intersect({ 'detail-type': ['OrderPlaced'] }, rule)).toBeNull();
    expect(intersect({ detail: { a: ['x'] } }, { detail: { a: ['y'] } })).toBeNull();
  });

  it('keeps equal operator lists, and refuses what one pattern cannot say', () => {
    expect(intersect({ source: [{ prefix: 'shop.' }] }, rule)).toEqual(rule);
    expect(() => intersect({ source: ['shop.orders'] }, rule)).toThrow(PatternConflict);
    expect(() => intersect({ source: ['shop.orders'] }, rule)).toThrow(
      /field source is matched by/,
    );
    expect(() => intersect({ $or: [{ a: ['1'] }] }, { $or: [{ b: ['2'] }] })).toThrow(/\$or/);
    expect(() => intersect({ detail: ['x'] }, { detail: { a: ['1'] } })).toThrow(/list of values/);
  });
});

describe('patternFromFlags', () => {
  it('is undefined without filters, and ANDs --pattern, --source and --detail-type', () => {
    expect(patternFromFlags({})).toBeUndefined();
    expect(
      patternFromFlags({
        pattern: '{"detail":{"data":{"sku":["A"]}}}',
        source: ['shop.orders'],
        'detail-type': ['OrderPlaced', 'OrderCancelled'],
      }),
    ).toEqual({
      detail: { data: { sku: ['A'] } },
      source: ['shop.orders'],
      'detail-type': ['OrderPlaced', 'OrderCancelled'],
    });
    expect(
      patternFromFlags({ pattern: '{"detail-type":["A","B"]}', 'detail-type': ['B', 'C'] }),
    ).toEqual({ 'detail-type': ['B'] });
  });

  it('refuses flags with nothing in common, naming it', () => {
    expect(() => patternFromFlags({ pattern: '{"source":["a"]}', source: ['b'] })).toThrow(
      UsageError,
    );
  });
});
