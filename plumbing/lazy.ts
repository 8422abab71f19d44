import type { Context } from 'aws-lambda';

/**
 * A value built on first use, then reused for the life of the execution
 * environment: how a service's defaultDeps() builds each real adapter once,
 * and only when a handler needs it (so importing a module needs no environment).
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * Builds a handler on its first invocation (then reuses it), so a module can
 * export its production `handler` while tests import its factory without the
 * environment (table names, URLs) that building the defaults requires:
 * `export const handler = instrument(lazyHandler(() => makeX(defaultDeps())))`.
 */
export function lazyHandler<E, R>(build: () => (event: E, context: Context) => Promise<R>) {
  const built = once(build);
  return (event: E, context: Context): Promise<R> => built()(event, context);
}
