/**
 * Declarative input checks for the EventBridge actions: each action declares
 * a zod schema whose messages are the service model's constraints, and
 * `parseInput` is the one renderer of AWS's validation error:
 * `2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: ...; ...`.
 * A member of the wrong JSON type is a SerializationException, as AWS answers
 * before any constraint.
 */
import * as z from 'zod';
import { AwsError } from '../core/errors.js';
import { validationError } from './validate.js';

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const violations: string[] = [];
  for (const issue of result.error.issues) {
    const value = valueAt(raw, issue.path);
    if (issue.code === 'invalid_type' && value !== undefined && value !== null) {
      const got = Array.isArray(value) ? 'array' : typeof value;
      throw new AwsError(
        'SerializationException',
        `${String(issue.path.at(-1))} must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}; received ${got}. Check the request body.`,
      );
    }
    const member = memberName(issue.path);
    violations.push(
      value === undefined || value === null
        ? `Value null at '${member}' failed to satisfy constraint: Member must not be null`
        : `Value '${shown(value)}' at '${member}' failed to satisfy constraint: ${issue.message}`,
    );
  }
  const n = violations.length;
  throw validationError(
    `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
  );
}

/** `['Targets', 0, 'Id']` -> `targets.1.member.id`, as AWS names members. */
function memberName(path: readonly PropertyKey[]): string {
  return path
    .map((p) =>
      typeof p === 'number'
        ? `${p + 1}.member`
        : String(p).replace(/^[A-Z]+/, (s) => s.toLowerCase()),
    )
    .join('.');
}

function shown(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const nullable = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null ? undefined : v), schema);

/** A string member with the model's length (and pattern) constraints. */
export function str(min: number, max: number, pattern?: { re: RegExp; text: string }) {
  let s = z
    .string()
    .min(min, { error: `Member must have length greater than or equal to ${min}` })
    .max(max, { error: `Member must have length less than or equal to ${max}` });
  if (pattern) {
    s = s.refine((v) => v.length === 0 || pattern.re.test(v), {
      error: `Member must satisfy regular expression pattern: ${pattern.text}`,
      abort: false,
    }) as unknown as typeof s;
  }
  return s;
}

export const required = <T extends z.ZodType>(schema: T) => nullable(schema);
export const optional = <T extends z.ZodType>(schema: T) => nullable(schema.optional());

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `Member must satisfy enum value set: [${values.join(', ')}]` });
}

export function int(min: number, max: number) {
  return z
    .number()
    .min(min, { error: `Member must have value greater than or equal to ${min}` })
    .max(max, { error: `Member must have value less than or equal to ${max}` });
}

export function list<T extends z.ZodType>(item: T, min: number, max: number) {
  return z
    .array(item)
    .min(min, { error: `Member must have length greater than or equal to ${min}` })
    .max(max, { error: `Member must have length less than or equal to ${max}` });
}
