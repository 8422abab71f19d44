import type { PostCallback } from '../ports.js';

/**
 * POSTs a callback with fetch, aborted after `timeoutMs`. Redirects are not
 * followed: a signed notice goes to the URL the caller registered, nowhere else.
 */
export function httpCallback(timeoutMs = 10_000): PostCallback {
  return async (url, body, headers) => {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is not read: only the status matters, and a slow body must not hold the worker.
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status };
  };
}
