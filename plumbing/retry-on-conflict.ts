import { ExponentialBackoff, fullJitterGenerator, handleType, retry } from 'cockatiel';
import { ConcurrentUpdateError } from './outbox.js';

/** Before retry n, a random wait below 40·2^(n-1) ms: 40, 80, 160, 320 with the default attempts. */
const conflictBackoff = new ExponentialBackoff({
  generator: fullJitterGenerator,
  initialDelay: 40,
  maxDelay: 2_000,
});

/**
 * Runs `attempt` again when it lost an optimistic-concurrency race
 * (ConcurrentUpdateError), reloading state each time; any other error fails at
 * once. Bounded: a persistent conflict fails the message, which SQS redelivers later.
 */
export function retryOnConflict<T>(attempt: () => Promise<T>, maxAttempts = 5): Promise<T> {
  // cockatiel's maxAttempts counts retries, not calls.
  const policy = retry(handleType(ConcurrentUpdateError), {
    maxAttempts: maxAttempts - 1,
    backoff: conflictBackoff,
  });
  return policy.execute(() => attempt());
}
