import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultPublisher } from '#plumbing/publisher.js';

/** Drains the orders table's stream (outbox rows) onto the bus. */
export const handler = instrument(lazyHandler(() => defaultPublisher()));
