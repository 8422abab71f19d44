import { defaultPublisher } from '../../../plumbing/publisher.js';
import { instrument } from '../../../plumbing/lambda.js';

/** Drains the table's stream (outbox rows) onto the bus. */
export const handler = instrument(defaultPublisher());
