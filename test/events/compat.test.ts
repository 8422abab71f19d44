import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { allContracts } from '#events/catalog.js';
import { breakingChanges } from '#events/compat.js';
import { defineEvent } from '#events/contract.js';
import { jsonSchemaOf, schemaFileName } from '#events/json-schema.js';

const base = {
  source: 'shop.orders',
  detailType: 'Sample',
  schemaVersion: 1,
  description: 'test',
} as const;
const v1 = defineEvent({
  ...base,
  data: z.object({
    orderId: z.string(),
    total: z.number().int(),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    note: z.string().optional(),
  }),
});
const committed = jsonSchemaOf(v1);
const evolve = (data: z.ZodObject) => jsonSchemaOf(defineEvent({ ...base, data }));

describe('schema compatibility', () => {
  it('accepts the same schema and an added optional field', () => {
    expect(breakingChanges(committed, committed)).toEqual([]);
    const added = evolve(v1.dataSchema.extend({ giftWrap: z.boolean().optional() }));
    expect(breakingChanges(committed, added)).toEqual([]);
  });

  it('rejects a removed field', () => {
    expect(breakingChanges(committed, evolve(v1.dataSchema.omit({ total: true })))).toEqual([
      'data.total was removed or renamed',
    ]);
  });

  it('rejects a renamed nested field', () => {
    const renamed = z.object({
      orderId: z.string(),
      total: z.number().int(),
      lines: z.array(z.object({ productSku: z.string(), quantity: z.number().int() })),
      note: z.string().optional(),
    });
    expect(breakingChanges(committed, evolve(renamed))).toEqual([
      'data.lines[].sku was removed or renamed',
      'data.lines[].productSku was added as a required field',
    ]);
  });

  it('rejects a retyped field and a field that became required', () => {
    const changed = v1.dataSchema.extend({ total: z.string(), note: z.string() });
    expect(breakingChanges(committed, evolve(changed))).toEqual([
      'data.total changed type from integer to string',
      'data.note became required',
    ]);
  });

  it('accepts an enum that gained a value, rejects one that lost a value', () => {
    const withEnum = (values: [string, ...string[]]) =>
      jsonSchemaOf(defineEvent({ ...base, data: z.object({ reason: z.enum(values) }) }));
    const before = withEnum(['A', 'B']);
    expect(breakingChanges(before, withEnum(['A', 'B', 'C']))).toEqual([]);
    expect(breakingChanges(before, withEnum(['A']))).toEqual([
      'data.reason changed type from enum(A|B) to enum(A)',
    ]);
  });

  it('rejects a new required field (archived events lack it, so replays would fail)', () => {
    expect(breakingChanges(committed, evolve(v1.dataSchema.extend({ x: z.string() })))).toEqual([
      'data.x was added as a required field',
    ]);
  });

  it('every contract is compatible with its committed schema (bump schemaVersion otherwise)', () => {
    const dir = join(import.meta.dirname, '../../events/schemas');
    for (const contract of allContracts) {
      const file = join(dir, schemaFileName(contract));
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(breakingChanges(saved, jsonSchemaOf(contract)), contract.detailType).toEqual([]);
    }
  });
});
