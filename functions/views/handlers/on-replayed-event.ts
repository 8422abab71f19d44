import { createConsumer } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { makeProjectEvent, type ProjectDeps } from './project-event.js';

/**
 * Replayed journey events, from the Rebuild queue, into the version being
 * built only. Without Powertools idempotency: its records would outlive one
 * rebuild and make the next one skip every event; the projection itself
 * ignores an event it already holds.
 */
export function makeOnReplayedEvent(deps: ProjectDeps) {
  return createConsumer({
    consumes,
    handle: makeProjectEvent(deps, 'replayed'),
    idempotency: false,
  });
}

export const handler = instrument(lazyHandler(() => makeOnReplayedEvent(defaultDeps())));
