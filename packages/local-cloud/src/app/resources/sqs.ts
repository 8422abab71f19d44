/** AWS::SQS::Queue, created on the edge with its attributes. */
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { prop, type ResourceHandler } from './types.js';

/** CloudFormation properties that are SQS queue attributes under the same name. */
const ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

export const queue: ResourceHandler = async (ctx) => {
  const fifo = prop(ctx, 'FifoQueue', 'boolean') === true;
  const name =
    prop(ctx, 'QueueName', 'string') ?? (fifo ? `${ctx.generateName(5)}.fifo` : ctx.generateName());
  const attributes: Record<string, string> = {};
  for (const key of ATTRIBUTES) {
    const v = ctx.properties[key];
    if (v === undefined) continue;
    // Policies are JSON documents in the template and JSON strings on the wire.
    attributes[key] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  // CloudFormation's `Tags: [{Key, Value}]` is CreateQueue's `tags` map.
  const tags: Record<string, string> = {};
  const listed = ctx.properties['Tags'];
  for (const t of Array.isArray(listed) ? (listed as { Key?: unknown; Value?: unknown }[]) : []) {
    if (typeof t.Key === 'string') tags[t.Key] = String(t.Value ?? '');
  }
  const { QueueUrl } = await ctx.env.sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: attributes,
      ...(Object.keys(tags).length > 0 && { tags }),
    }),
  );
  const got = await ctx.env.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return {
    physicalId: QueueUrl!,
    attributes: { Arn: got.Attributes?.['QueueArn'], QueueName: name, QueueUrl },
  };
};
