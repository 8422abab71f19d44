import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { CliError, EXIT, printJson, println, UsageError, type Io } from '../shared/cli.js';
import { plural } from '../shared/text.js';
import { depthOf, type DeadLetterQueue } from './queues.js';

/** Purges a dead-letter queue, after the operator confirms (or --yes). */
export async function discardCommand(
  target: AwsTarget,
  io: Io,
  q: DeadLetterQueue,
  opts: { json: boolean; yes: boolean },
): Promise<number> {
  if (!q.sources.length && !/dlq|dead-?letter/i.test(q.name)) {
    throw new CliError(
      `${q.name} is not a dead-letter queue (no RedrivePolicy names it, nor does its name); ` +
        `dlq discard only empties dead-letter queues.`,
    );
  }
  const d = depthOf(q);
  const count = d.visible + d.inFlight + d.delayed;
  const say = (line: string) => println(opts.json ? io.stderr : io.stdout, line);
  if (count === 0) {
    say(`${q.name} is already empty.`);
    if (opts.json) printJson(io, { queue: q.name, purged: false, messages: 0 });
    return EXIT.ok;
  }
  if (!opts.yes) {
    if (!io.stdin.isTTY) {
      throw new UsageError(
        `Refusing to discard ${plural(count, 'message')} from ${q.name} without confirmation: ` +
          `standard input is not a terminal. Pass --yes to discard without asking.`,
      );
    }
    const answer = await ask(
      io,
      `Discard all ${plural(count, 'message')} in ${q.name}? They cannot be recovered. [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      say('Nothing discarded.');
      return EXIT.failure;
    }
  }
  try {
    await target.sqs.send(new PurgeQueueCommand({ QueueUrl: q.url }));
  } catch (err) {
    if ((err as Error).name.includes('PurgeQueueInProgress')) {
      throw new CliError(
        `A purge of ${q.name} is already in progress (SQS allows one per 60 seconds); ` +
          `wait a minute, then check with 'dlq list'.`,
      );
    }
    throw err;
  }
  if (opts.json) printJson(io, { queue: q.name, purged: true, messages: count });
  say(
    `Discarded ${plural(count, 'message')} from ${q.name}` +
      `${target.local ? '.' : ' (SQS finishes deleting them within 60 seconds).'}`,
  );
  return EXIT.ok;
}

async function ask(io: Io, question: string): Promise<string> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin });
  try {
    const [line] = (await Promise.race([once(rl, 'line'), once(rl, 'close').then(() => [''])])) as [
      string,
    ];
    return line;
  } finally {
    rl.close();
  }
}
