import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { pause, type Io } from '../shared/cli.js';
import { progressBar } from '../shared/progress.js';

export interface QueueDepth {
  readonly waiting: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export const total = (d: QueueDepth) => d.waiting + d.inFlight + d.delayed;

export async function queueDepth(target: AwsTarget, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: a = {} } = await target.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    waiting: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/**
 * Waits until the rebuild queue stays empty for `quietPolls` polls in a row:
 * SQS's counts are approximate, and EventBridge may still be delivering the
 * replay's last events when DescribeReplay says COMPLETED. False when the
 * operator interrupted.
 */
export async function waitForDrain(
  target: AwsTarget,
  queueUrl: string,
  io: Io,
  opts: { pollMs: number; quietPolls: number; events?: number | undefined },
): Promise<boolean> {
  const bar = progressBar(io.stderr, 'projecting');
  let quiet = 0;
  let most = 0;
  try {
    while (quiet < opts.quietPolls) {
      if (io.signal?.aborted) return false;
      const depth = total(await queueDepth(target, queueUrl));
      most = Math.max(most, depth);
      quiet = depth === 0 ? quiet + 1 : 0;
      bar.update(most - depth, Math.max(most, 1), `rebuild queue depth ${depth}`);
      await pause(opts.pollMs, io.signal);
    }
    return true;
  } finally {
    bar.stop();
  }
}
