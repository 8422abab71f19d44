import {
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { CliError, EXIT, pause, printJson, println, type Io } from '../shared/cli.js';
import { progressBar } from '../shared/progress.js';
import { plural } from '../shared/text.js';
import { moveByHand } from './move-by-hand.js';
import { depthOf, type DeadLetterQueue, type QueueInfo } from './queues.js';

/**
 * Moves a dead-letter queue's messages back with StartMessageMoveTask and
 * follows the task with ListMessageMoveTasks until it ends.
 *
 * With one source queue (every subscription's case) the destination is named
 * explicitly: the subscription's DLQ also receives events EventBridge failed to
 * deliver, which have no source queue of their own, and "back to the source"
 * would leave them behind. With several sources each message goes back to the
 * queue it came from. A dead-letter queue no RedrivePolicy names goes back to the queue its
 * `redrive-to` tag names (the deadline schedules' target). `--to` overrides all of these.
 */
export async function redriveCommand(
  target: AwsTarget,
  io: Io,
  q: DeadLetterQueue,
  opts: { json: boolean; to?: QueueInfo; rate?: number },
): Promise<number> {
  const to = opts.to ?? q.redriveTo;
  if (!q.sources.length && !to) {
    throw new CliError(
      `${q.name} is no queue's dead-letter queue (no RedrivePolicy names it), so there is no source ` +
        `to move its messages back to. An outbox publisher's on-failure queue holds descriptions of ` +
        `stream batches, not events: read them with 'dlq show' and republish from the stream. ` +
        `To move the messages to a queue of your choice anyway, pass --to QUEUE.`,
    );
  }
  const depth = depthOf(q).visible;
  const destination = to ?? (q.sources.length === 1 ? q.sources[0] : undefined);
  const toText = destination ? destination.name : 'the queue each message came from';
  const say = (line: string) => println(opts.json ? io.stderr : io.stdout, line);
  if (depth === 0) {
    say(`Nothing to redrive: ${q.name} has no visible message.`);
    if (opts.json) printJson(io, { queue: q.name, status: 'NOTHING_TO_MOVE', moved: 0 });
    return EXIT.ok;
  }

  say(`Redriving ${plural(depth, 'message')} from ${q.name} to ${toText}...`);
  if (!q.sources.length && destination) {
    return byHand(target, io, q, destination, { json: opts.json, rate: opts.rate, say });
  }
  let handle: string | undefined;
  try {
    ({ TaskHandle: handle } = await target.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: q.arn,
        ...(destination && { DestinationArn: destination.arn }),
        ...(opts.rate !== undefined && { MaxNumberOfMessagesPerSecond: opts.rate }),
      }),
    ));
  } catch (err) {
    if (/already.*(running|active)|task.*running/i.test((err as Error).message)) {
      throw new CliError(
        `A move task is already running on ${q.name} (${(err as Error).message}); wait for it ` +
          `(aws sqs list-message-move-tasks --source-arn ${q.arn}) or cancel it ` +
          `(aws sqs cancel-message-move-task --task-handle <handle>).`,
      );
    }
    throw err;
  }

  const bar = progressBar(io.stderr, 'redriving');
  const pollMs = io.pollMs ?? (target.local ? 100 : 2000);
  let task: ListMessageMoveTasksResultEntry | undefined;
  for (;;) {
    const { Results } = await target.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: q.arn, MaxResults: 1 }),
    );
    task = Results?.[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    const total = task?.ApproximateNumberOfMessagesToMove ?? depth;
    bar.update(moved, total, `${moved}/${total} moved`);
    if (task?.Status !== 'RUNNING' && task?.Status !== 'CANCELLING') break;
    if (io.signal?.aborted) {
      bar.stop();
      println(
        io.stderr,
        `Stopped following; the move task goes on in SQS. Cancel it with: ` +
          `aws sqs cancel-message-move-task --task-handle ${handle ?? task?.TaskHandle ?? '<handle>'}`,
      );
      return EXIT.interrupted;
    }
    await pause(pollMs, io.signal);
  }
  bar.stop();

  const status = task?.Status ?? 'UNKNOWN';
  const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
  const result = {
    queue: q.name,
    destination: destination?.name ?? null,
    status,
    moved,
    toMove: task?.ApproximateNumberOfMessagesToMove ?? depth,
    ...(task?.FailureReason && { failureReason: task.FailureReason }),
  };
  if (opts.json) printJson(io, result);
  if (status === 'COMPLETED') {
    say(`${status}: moved ${plural(moved, 'message')} from ${q.name} to ${toText}.`);
    return EXIT.ok;
  }
  say(
    `${status}: moved ${moved} of ${result.toMove}${task?.FailureReason ? ` (${task.FailureReason})` : ''}. ` +
      `The rest is still in ${q.name}; see 'dlq show ${q.name}'.`,
  );
  return EXIT.failure;
}

/** A dead-letter queue StartMessageMoveTask refuses (no RedrivePolicy names it), moved message by message. */
async function byHand(
  target: AwsTarget,
  io: Io,
  q: DeadLetterQueue,
  destination: QueueInfo,
  opts: { json: boolean; rate?: number; say: (line: string) => void },
): Promise<number> {
  const depth = depthOf(q).visible;
  const bar = progressBar(io.stderr, 'redriving');
  const { moved, failed } = await moveByHand(target, q, destination, {
    ...(opts.rate !== undefined && { rate: opts.rate }),
    ...(io.signal && { signal: io.signal }),
    onProgress: (n) => bar.update(n, Math.max(depth, n), `${n}/${Math.max(depth, n)} moved`),
  });
  bar.stop();
  const status = failed.length === 0 && !io.signal?.aborted ? 'COMPLETED' : 'FAILED';
  if (opts.json) {
    printJson(io, {
      queue: q.name,
      destination: destination.name,
      status,
      moved,
      toMove: depth,
      ...(failed.length > 0 && { failed }),
    });
  }
  if (status === 'COMPLETED') {
    opts.say(`${status}: moved ${plural(moved, 'message')} from ${q.name} to ${destination.name}.`);
    return EXIT.ok;
  }
  opts.say(
    `${status}: moved ${moved} of ${depth}` +
      (failed.length > 0
        ? `; ${destination.name} refused ${plural(failed.length, 'message')} (${failed[0]!.reason})`
        : '; interrupted') +
      `. The rest is still in ${q.name}; see 'dlq show ${q.name}'.`,
  );
  return EXIT.failure;
}
