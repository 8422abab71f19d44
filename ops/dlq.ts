/**
 * `npm run dlq -- list | show <queue> | redrive <queue> | discard <queue>`:
 * the dead-letter queues, what is in them and why, and getting them empty.
 */
import { explainAwsError, resolveTarget } from './shared/aws.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  guarded,
  isEntryPoint,
  parse,
  println,
  runAsScript,
  UsageError,
  type Io,
} from './shared/cli.js';
import { discardCommand } from './dlq/discard.js';
import { listCommand } from './dlq/list.js';
import { listQueues, resolveDeadLetterQueue, type QueueInfo } from './dlq/queues.js';
import { redriveCommand } from './dlq/redrive.js';
import { showCommand } from './dlq/show.js';
import type { AwsTarget } from './shared/aws.js';

const HELP = `Usage: npm run dlq -- <command> [queue] [options]

Commands:
  list                 Every dead-letter queue (any queue's RedrivePolicy target, or named
                       *dlq* / *DeadLetter*) with its depth and the age of its oldest message.
    --prefix P         Only queues whose name starts with P.
    --no-peek          Do not read messages for their age (reading counts as a receive).
  show <queue>         The messages, each with its event (detail-type, eventId, correlationId),
                       receive count, and why it is there: EventBridge's delivery error from the
                       message attributes, or where the consumer's error is logged.
    --max N            Messages to read (default 10).
  redrive <queue>      Moves the messages back to the source queue (StartMessageMoveTask) and
                       follows the task until it ends. A dead-letter queue no RedrivePolicy names
                       (the order deadlines' schedules) goes back to the queue its redrive-to tag
                       names, message by message (SQS's move task refuses such a queue).
    --to QUEUE         Move them to this queue instead.
    --rate N           At most N messages per second (default: as fast as SQS goes).
  discard <queue>      Purges the queue after you confirm; refuses without a terminal.
    --yes              Do not ask.

<queue> is a queue URL, ARN or name, or part of one dead-letter queue's name (e.g. inventory).

${COMMON_HELP}

Examples:
  npm run dlq -- list --endpoint-url http://127.0.0.1:4566
  npm run dlq -- show inventory --max 50 --profile prod
  npm run dlq -- redrive Shop-Inventory-SubscriptionDeadLetterQueue021BAF18-Ab12Cd34Ef56
  npm run dlq -- discard payments --yes`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  prefix: { type: 'string' },
  'no-peek': { type: 'boolean', default: false },
  max: { type: 'string' },
  to: { type: 'string' },
  rate: { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false },
} as const;

const COMMANDS = ['list', 'show', 'redrive', 'discard'] as const;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS, 'npm run dlq --');
    if (values.help) {
      println(io.stdout, HELP);
      return EXIT.ok;
    }
    const [command, queueArg, ...extra] = positionals;
    if (command === undefined || !(COMMANDS as readonly string[]).includes(command)) {
      throw new UsageError(
        `${command === undefined ? 'No command given' : `Unknown command '${command}'`}; ` +
          `use one of ${COMMANDS.join(', ')}. Run with --help.`,
      );
    }
    if (command === 'list' ? queueArg !== undefined : queueArg === undefined || extra.length) {
      throw new UsageError(
        command === 'list'
          ? `dlq list takes no queue; received '${positionals.slice(1).join(' ')}'. Use --prefix to narrow it.`
          : `dlq ${command} takes exactly one queue (a URL, ARN, name or part of a name); received ${positionals.length - 1}.`,
      );
    }
    const max = positiveInt(values.max, '--max', 10);
    const rate = values.rate === undefined ? undefined : positiveInt(values.rate, '--rate', 1);
    if (rate !== undefined && rate > 500) {
      throw new UsageError(`--rate must be from 1 to 500 messages per second; received ${rate}.`);
    }

    const target = await resolveTarget(values, io);
    try {
      if (command === 'list') {
        return await listCommand(target, io, {
          json: values.json,
          peek: !values['no-peek'],
          ...(values.prefix !== undefined && { prefix: values.prefix }),
        });
      }
      const q = await resolveDeadLetterQueue(target, queueArg!);
      if (command === 'show') return await showCommand(target, io, q, { json: values.json, max });
      if (command === 'discard') {
        return await discardCommand(target, io, q, { json: values.json, yes: values.yes });
      }
      const to = values.to === undefined ? undefined : await anyQueue(target, values.to);
      return await redriveCommand(target, io, q, {
        json: values.json,
        ...(to && { to }),
        ...(rate !== undefined && { rate }),
      });
    } catch (err) {
      throw explainAwsError(err, target);
    } finally {
      target.destroy();
    }
  });
}

function positiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number of 1 or more; received '${text}'.`);
  }
  return n;
}

async function anyQueue(target: AwsTarget, wanted: string): Promise<QueueInfo> {
  const all = await listQueues(target, undefined);
  const q = all.find((x) => x.url === wanted || x.arn === wanted || x.name === wanted);
  if (!q) {
    throw new UsageError(`--to: no queue has the URL, ARN or name '${wanted}'.`);
  }
  return q;
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
