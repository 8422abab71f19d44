import type { CreateQueueRequest, CreateQueueResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { applyAttributes, DEFAULT_CONFIG, describeConfig } from '../attributes.js';
import { invalidValue, sqsError } from '../errors.js';
import { requiredString, stringMap } from '../input.js';
import { Queue } from '../queue.js';
import { defineAction } from './action.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
/** SQS refuses to re-create a queue name this soon after deleting it. */
const RECREATE_AFTER_MS = 60_000;

// CreateQueue names its tag map `tags` (lower case) in the service model.
const input = z.object({
  QueueName: requiredString('QueueName'),
  Attributes: stringMap,
  tags: stringMap,
  Tags: stringMap,
}) satisfies z.ZodType<Pick<CreateQueueRequest, 'QueueName' | 'Attributes' | 'tags'>>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html */
export const createQueue = defineAction({
  input,
  run(host, i): CreateQueueResult {
    const name = i.QueueName;
    const attrs = i.Attributes;
    const fifo = attrs['FifoQueue'] === 'true';
    if (fifo && !FIFO_QUEUE_NAME.test(name)) {
      throw invalidValue(
        'QueueName',
        name,
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    if (!fifo && !QUEUE_NAME.test(name)) {
      throw invalidValue(
        'QueueName',
        name,
        `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.${name.endsWith('.fifo') ? ' (A .fifo name needs the attribute FifoQueue=true.)' : ''}`,
      );
    }
    const existing = host.queues.get(name);
    if (existing) {
      const asked = describeConfig(
        applyAttributes(existing.config, attrs, host.redriveChecks(existing.arn, fifo, true)),
      );
      const now = describeConfig(existing.config);
      const differs = Object.keys(attrs).find((k) => asked[k] !== now[k]);
      if (differs) {
        throw sqsError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute ${differs}.`,
        );
      }
      return { QueueUrl: existing.url };
    }
    const deleted = host.deletedAt.get(name);
    if (deleted !== undefined && Date.now() - deleted < RECREATE_AFTER_MS) {
      throw sqsError(
        'QueueDeletedRecently',
        `You must wait 60 seconds after deleting a queue before you can create another with the same name. (local cloud: ${name} was deleted ${Math.round((Date.now() - deleted) / 1000)} s ago.)`,
      );
    }
    const { accountId, region, endpoint } = host.ctx;
    const arn = `arn:aws:sqs:${region}:${accountId}:${name}`;
    const config = applyAttributes(
      { ...DEFAULT_CONFIG, FifoQueue: fifo },
      attrs,
      host.redriveChecks(arn, fifo, true),
    );
    const url = `${endpoint}/${accountId}/${name}`;
    const queue = new Queue(name, arn, url, config, host);
    queue.tags = { ...i.Tags, ...i.tags };
    host.queues.set(name, queue);
    return { QueueUrl: url };
  },
});
