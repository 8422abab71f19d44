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
  const { QueueUrl } = await ctx.env.sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const got = await ctx.env.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return {
    physicalId: QueueUrl!,
    attributes: { Arn: got.Attributes?.['QueueArn'], QueueName: name, QueueUrl },
  };
};
