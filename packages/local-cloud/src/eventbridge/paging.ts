import { Constraints, optNumber, optString, validationError, type Input } from './validate.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * One page of `items` for the List* actions (`Limit` 1-100, opaque `NextToken`).
 * The token carries the offset: lists are sorted by name, so it stays stable
 * enough for a local run without server-side cursor state.
 */
export function paginate<T>(items: readonly T[], input: Input): Page<T> {
  const limit = optNumber(input, 'Limit');
  new Constraints().range(limit, 'limit', 1, 100).check();
  const token = optString(input, 'NextToken');
  const start = token === undefined ? 0 : decodeToken(token);
  const end = limit === undefined ? items.length : start + limit;
  const page: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) page.nextToken = encodeToken(end);
  return page;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      offset?: unknown;
    };
    if (
      typeof parsed.offset === 'number' &&
      Number.isInteger(parsed.offset) &&
      parsed.offset >= 0
    ) {
      return parsed.offset;
    }
  } catch {
    // fall through to the error below
  }
  throw validationError(
    `The NextToken '${token}' is not valid. Pass the NextToken from the previous response unchanged.`,
  );
}
