/** The part of an SQS event record this needs. */
interface GroupedRecord {
  messageId: string;
  attributes: Record<string, string>;
}

/**
 * FIFO event sources keep each message group in order: when a message fails,
 * the later messages of its group in the same batch must not be deleted
 * either, or they would be processed before it. The queue then holds the
 * group back until the failed messages are visible again.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export function failedInGroupOrder(
  records: readonly GroupedRecord[],
  failed: ReadonlySet<string>,
): Set<string> {
  const out = new Set(failed);
  const stoppedGroups = new Set<string>();
  for (const r of records) {
    const group = r.attributes['MessageGroupId'];
    if (group === undefined) continue;
    if (stoppedGroups.has(group)) out.add(r.messageId);
    else if (failed.has(r.messageId)) stoppedGroups.add(group);
  }
  return out;
}

export const isFifoQueueArn = (arn: string): boolean => arn.endsWith('.fifo');
