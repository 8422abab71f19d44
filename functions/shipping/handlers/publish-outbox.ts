import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { defaultPublisher } from '#plumbing/publisher.js';

export const handler = instrument(lazyHandler(() => defaultPublisher()));
