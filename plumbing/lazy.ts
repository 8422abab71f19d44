import type { Context } from 'aws-lambda';

/**
 * Builds a handler on its first invocation (then reuses it), so a module can
 * export its production `handler` while tests import its factory without the
 * environment (table names, URLs) that building the defaults requires.
 */
export function lazyHandler<E, R>(build: () => (event: E, context: Context) => Promise<R>) {
  let built: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event: E, context: Context): Promise<R> => (built ??= build())(event, context);
}
