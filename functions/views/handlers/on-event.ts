import { createConsumer } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { makeProjectEvent, type ProjectDeps } from './project-event.js';

/**
 * Live journey events, from the Subscription queue, into the active (and building) version;
 * deployed with the cached pointer (adapters/pointer-cache.ts), one read per few seconds.
 */
export function makeOnEvent(deps: ProjectDeps) {
  return createConsumer({ consumes, handle: makeProjectEvent(deps, 'live') });
}

export const handler = instrument(
  lazyHandler(() => {
    const deps = defaultDeps();
    return makeOnEvent({ ...deps, readPointer: deps.readLivePointer });
  }),
);
