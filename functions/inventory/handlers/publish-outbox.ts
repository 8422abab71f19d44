import { defaultPublisher } from '#plumbing/publisher.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';

/** Drains the table's stream (outbox rows) onto the bus. */
export const handler = instrument(lazyHandler(() => defaultPublisher()));
