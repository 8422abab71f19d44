/**
 * An order's log lines, read the way CloudWatch Logs is read on AWS and on the
 * local cloud alike: FilterLogEvents with `{ $.correlationId = "<id>" }` over
 * the shop's log groups (every line a handler writes carries correlationId).
 */
import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { mapLimit } from '../shared/local.js';

export interface LogLine {
  readonly timestamp: number;
  readonly logGroup: string;
  readonly service?: string;
  readonly level?: string;
  readonly message: string;
  readonly detailType?: string;
  readonly eventId?: string;
  /** The line as written, parsed. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The shop's log groups: those named in `--log-groups`, else every group whose name holds `Shop`. */
export async function shopLogGroups(
  logs: CloudWatchLogsClient,
  named: string | undefined,
): Promise<string[]> {
  if (named) {
    return named
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
  }
  const groups: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePattern: 'Shop', nextToken }),
    );
    for (const g of page.logGroups ?? []) if (g.logGroupName) groups.push(g.logGroupName);
    nextToken = page.nextToken;
  } while (nextToken);
  return groups;
}

/** Every line of `correlationId` in `groups` since `startTime`, oldest first. */
export async function correlatedLines(
  logs: CloudWatchLogsClient,
  groups: readonly string[],
  correlationId: string,
  startTime: number,
): Promise<LogLine[]> {
  const filterPattern = `{ $.correlationId = ${JSON.stringify(correlationId)} }`;
  const perGroup = await mapLimit(groups, 4, async (logGroupName) => {
    const lines: LogLine[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({ logGroupName, filterPattern, startTime, nextToken }),
      );
      for (const e of page.events ?? [])
        lines.push(toLine(logGroupName, e.timestamp ?? 0, e.message ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return lines;
  });
  return perGroup.flat().sort((a, b) => a.timestamp - b.timestamp);
}

function toLine(logGroup: string, timestamp: number, text: string): LogLine {
  const start = text.indexOf('{');
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(text.slice(start)) as Record<string, unknown>;
  } catch {
    // the pattern matched, so it is JSON; keep the text if a runtime prefix got in the way
  }
  const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : undefined);
  return {
    timestamp,
    logGroup,
    ...(str('service') !== undefined && { service: str('service') }),
    ...(str('level') !== undefined && { level: str('level') }),
    message: str('message') ?? text,
    ...(str('detailType') !== undefined && { detailType: str('detailType') }),
    ...(str('eventId') !== undefined && { eventId: str('eventId') }),
    fields,
  };
}
