/** What a rejected request must get back, and a tally of the rejections seen. */
import type { RawReply } from './http.js';

export interface Expectation {
  expect: number[];
  names: string[];
}

/** The parts of a reply that may name the problem: `message`, `field` and every `fields[]`. */
function naming(body: Record<string, unknown>): string {
  const fields = Array.isArray(body['fields']) ? (body['fields'] as unknown[]) : [];
  return [
    body['message'],
    body['field'],
    ...fields.flatMap((f) =>
      f && typeof f === 'object'
        ? [(f as Record<string, unknown>)['field'], (f as Record<string, unknown>)['problem']]
        : [],
    ),
  ]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}

/** Why the reply is wrong for the expectation, or undefined if it is right. */
export function verdict(want: Expectation, reply: RawReply): string | undefined {
  if (reply.status >= 500) return `a server error (${reply.status})`;
  if (!want.expect.includes(reply.status)) {
    return `status ${reply.status}, expected ${want.expect.join(' or ')}`;
  }
  const body = reply.json;
  if (!body || typeof body['message'] !== 'string' || body['message'].trim() === '') {
    return 'no JSON body with a message';
  }
  const text = naming(body);
  if (!want.names.some((name) => text.includes(name.toLowerCase()))) {
    return `the reply names none of ${JSON.stringify(want.names)}`;
  }
  return undefined;
}

/** Counts replies by status, error code and first field per route, to show which branches the generators reached. */
export class Tally {
  private readonly seen = new Map<string, Map<string, number>>();

  add(route: string, reply: RawReply): void {
    const fields = reply.json?.['fields'];
    const field = Array.isArray(fields)
      ? ` ${String((fields[0] as { field?: unknown }).field)}`
      : '';
    const key = `${reply.status} ${String(reply.json?.['error'] ?? reply.json?.['message'] ?? '')}${field}`;
    const byKey = this.seen.get(route) ?? new Map<string, number>();
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    this.seen.set(route, byKey);
  }

  kinds(route: string): string[] {
    return [...(this.seen.get(route)?.keys() ?? [])];
  }

  table(): string {
    return [...this.seen]
      .map(
        ([route, byKey]) =>
          `${route}\n${[...byKey]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, n]) => `    ${String(n).padStart(4)}  ${key}`)
            .join('\n')}`,
      )
      .join('\n');
  }
}
