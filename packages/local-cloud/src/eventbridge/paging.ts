import { validationError } from './validate.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** The paging members of a List* request, checked by its action's input schema. */
export interface PageRequest {
  Limit?: number | undefined;
  NextToken?: string | undefined;
}

/**
 * One page of `items` for the List* actions (`Limit` 1-100, opaque `NextToken`).
 * The token carries the offset: lists are sorted by name, so it stays stable
 * enough for a local run without server-side cursor state.
 */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = request.NextToken === undefined ? 0 : decodeToken(request.NextToken);
  const end = request.Limit === undefined ? items.length : start + request.Limit;
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
    `The NextToken is not valid. (local cloud: received '${token}'; pass the NextToken from the previous response unchanged.)`,
  );
}
