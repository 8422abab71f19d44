/**
 * Declarative input checks for the SQS actions: each action declares a zod
 * schema, and `parseInput` turns the first failed check into the error SQS
 * answers (MissingParameter, InvalidParameterValue). The query protocol
 * sends every scalar as a string, so numbers and booleans are read from text.
 */
import * as z from 'zod';
import { invalidValue, missing } from './errors.js';

/** A schema checked in declaration order, as SQS checks its parameters. */
export type InputSchema<T> = z.ZodType<T>;

/** Validates `raw` against `schema`; throws the SQS error for the first problem found. */
export function parseInput<T>(schema: InputSchema<T>, raw: unknown): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.map(String).join('.') || 'input';
  const value = valueAt(raw, issue.path);
  if (value === undefined || value === null || value === '') throw missing(name);
  throw invalidValue(
    name,
    typeof value === 'object' ? JSON.stringify(value) : value,
    issue.message,
  );
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Absent, null and '' all mean "not given" on the wire. */
const given = (v: unknown) => (v === null || v === '' ? undefined : v);

export const requiredString = (name: string) =>
  z.preprocess(given, z.string({ error: `${name} must be a string.` }));

export const optionalString = (name: string) =>
  z.preprocess(given, z.string({ error: `${name} must be a string.` }).optional());

/** An integer in [min, max], from a JSON number or query-protocol text; `reason` is AWS's wording. */
export const optionalInt = (
  min: number,
  max: number,
  reason = `Must be between ${min} and ${max}.`,
) =>
  z.preprocess(
    (v) => {
      const g = given(v);
      return typeof g === 'string' && g.trim() !== '' ? Number(g) : g;
    },
    z
      .number({ error: reason })
      .int({ error: reason })
      .min(min, { error: reason })
      .max(max, { error: reason })
      .optional(),
  );

export const requiredInt = (min: number, max: number, reason: string) =>
  z.preprocess(
    (v) => {
      const g = given(v);
      return typeof g === 'string' && g.trim() !== '' ? Number(g) : g;
    },
    z
      .number({ error: reason })
      .int({ error: reason })
      .min(min, { error: reason })
      .max(max, { error: reason }),
  );

/** A list of strings; anything else on the wire is read as empty, as before. */
export const stringList = z.preprocess(
  (v) => (Array.isArray(v) ? v.map(String) : []),
  z.array(z.string()),
);

/** A string map (attributes, tags); values are read as text. */
export const stringMap = z.preprocess(
  (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
      : {},
  z.record(z.string(), z.string()),
);

/** Batch entries are checked by the batch rules (empty, too many, ids), then one by one. */
export const entries = z.preprocess(
  (v) => (Array.isArray(v) ? v : []),
  z.array(z.record(z.string(), z.unknown())),
);

export const queueUrl = { QueueUrl: requiredString('QueueUrl') };

/** A string map that must be given (SetQueueAttributes' Attributes). */
export const requiredStringMap = z.preprocess(
  (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
      : given(v),
  z.record(z.string(), z.string(), { error: 'Attributes must be a map of name to value.' }),
);
