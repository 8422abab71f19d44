import { AwsError } from '../core/errors.js';

/** The request shape every handler receives: the parsed JSON 1.1 body. */
export type Input = Record<string, unknown>;

export const NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
export const NAME_PATTERN_TEXT = '[\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]+$/;
export const BUS_NAME_PATTERN_TEXT = '[/\\.\\-_A-Za-z0-9]+';

export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

export function alreadyExists(message: string): AwsError {
  return new AwsError('ResourceAlreadyExistsException', message);
}

/** A member of the wrong JSON type: AWS answers these before any validation. */
function serialization(key: string, expected: string, value: unknown): AwsError {
  const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return new AwsError(
    'SerializationException',
    `${key} must be ${expected}; received ${got}. Check the request body.`,
  );
}

export function optString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(key, 'a string', value);
  return value;
}

export function optNumber(input: Input, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw serialization(key, 'a number', value);
  }
  return value;
}

export function optBoolean(input: Input, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serialization(key, 'a boolean', value);
  return value;
}

export function optObject(input: Input, key: string): Input | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw serialization(key, 'an object', value);
  }
  return value as Input;
}

export function optArray(input: Input, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serialization(key, 'a list', value);
  return value;
}

export function optStringList(input: Input, key: string): string[] | undefined {
  const list = optArray(input, key);
  if (list === undefined) return undefined;
  for (const item of list) {
    if (typeof item !== 'string') throw serialization(`${key} item`, 'a string', item);
  }
  return list as string[];
}

/**
 * Collects model-constraint violations and throws them in one
 * ValidationException worded as AWS words it:
 * `2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: ...; ...`.
 */
export class Constraints {
  private readonly violations: string[] = [];

  required(value: unknown, member: string): this {
    if (value === undefined || value === null) {
      this.violations.push(
        `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return this;
  }

  length(value: string | undefined, member: string, min: number, max: number): this {
    if (value === undefined) return this;
    if (value.length < min) {
      this.fail(value, member, `Member must have length greater than or equal to ${min}`);
    } else if (value.length > max) {
      this.fail(value, member, `Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  pattern(value: string | undefined, member: string, re: RegExp, text: string): this {
    if (value !== undefined && value.length > 0 && !re.test(value)) {
      this.fail(value, member, `Member must satisfy regular expression pattern: ${text}`);
    }
    return this;
  }

  range(value: number | undefined, member: string, min: number, max: number): this {
    if (value === undefined) return this;
    if (value < min) {
      this.fail(String(value), member, `Member must have value greater than or equal to ${min}`);
    } else if (value > max) {
      this.fail(String(value), member, `Member must have value less than or equal to ${max}`);
    }
    return this;
  }

  oneOf(value: string | undefined, member: string, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value)) {
      this.fail(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  fail(value: string, member: string, constraint: string): this {
    this.violations.push(
      `Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
    );
    return this;
  }

  check(): void {
    const n = this.violations.length;
    if (n === 0) return;
    throw validationError(
      `${n} validation error${n === 1 ? '' : 's'} detected: ${this.violations.join('; ')}`,
    );
  }
}

/**
 * The filters of ListArchives and ListReplays: NamePrefix, EventSourceArn or State,
 * at most one of them, as AWS allows; the state must be one of `states`.
 */
export function listFilters(input: Input, operation: string, states: readonly string[]) {
  const prefix = optString(input, 'NamePrefix');
  const source = optString(input, 'EventSourceArn');
  const state = optString(input, 'State');
  if ([prefix, source, state].filter((f) => f !== undefined).length > 1) {
    throw validationError(
      `At most one filter is allowed for ${operation}. Use either : State, EventSourceArn, or NamePrefix.`,
    );
  }
  new Constraints().oneOf(state, 'state', states).check();
  return { prefix, source, state };
}
