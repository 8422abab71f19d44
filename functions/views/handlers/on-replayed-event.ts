import { createConsumer } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { makeProjectEvent, type ProjectDeps } from './project-event.js';

/**
 * Replayed journey events, from the Rebuild queue, into the version being
 * built only. The projection itself ignores an event it already holds, as the
 * live consumer does.
 */
export function makeOnReplayedEvent(deps: ProjectDeps) {
  return createConsumer({
    consumes,
    handle: makeProjectEvent(deps, 'replayed'),
  });
}

export const handler = instrument(lazyHandler(() => makeOnReplayedEvent(defaultDeps())));
