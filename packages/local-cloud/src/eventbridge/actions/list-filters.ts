import { validationError } from '../validate.js';

/**
 * ListArchives and ListReplays take at most one of NamePrefix, EventSourceArn
 * and State, as AWS allows.
 */
export function checkOneFilter(
  i: { NamePrefix?: string | undefined; EventSourceArn?: string | undefined; State?: unknown },
  operation: string,
): void {
  const given = [i.NamePrefix, i.EventSourceArn, i.State].filter((f) => f !== undefined);
  if (given.length > 1) {
    throw validationError(
      `At most one filter is allowed for ${operation}. Use either : State, EventSourceArn, or NamePrefix.`,
    );
  }
}
