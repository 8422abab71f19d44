/**
 * CloudWatch Logs' read API (JSON 1.1, `X-Amz-Target: Logs_20140328.<Action>`)
 * over the in-memory LogStore: what `aws logs describe-log-groups`,
 * `describe-log-streams`, `filter-log-events`, `get-log-events` and
 * `aws logs tail --follow` (FilterLogEvents, polled) call.
 */
import type {
  DescribeLogGroupsResponse,
  DescribeLogStreamsResponse,
  FilterLogEventsResponse,
  GetLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService } from '../core/types.js';
import { compileFilterPattern } from './filter-pattern.js';
import type { LogEvent, LogGroup, LogStore, LogStream } from './store.js';

type Input = Record<string, unknown>;

const ACTIONS = ['DescribeLogGroups', 'DescribeLogStreams', 'FilterLogEvents', 'GetLogEvents'];

export class LogsService implements JsonService {
  readonly targetPrefix = 'Logs_20140328';

  constructor(
    private readonly store: LogStore,
    private readonly context: Pick<CloudContext, 'accountId' | 'region'>,
  ) {}

  async handle(action: string, input: Input): Promise<unknown> {
    switch (action) {
      case 'DescribeLogGroups':
        return this.describeLogGroups(input);
      case 'DescribeLogStreams':
        return this.describeLogStreams(input);
      case 'FilterLogEvents':
        return this.filterLogEvents(input);
      case 'GetLogEvents':
        return this.getLogEvents(input);
      default:
        throw new AwsError(
          'UnknownOperationException',
          `The local CloudWatch Logs does not emulate ${action}; it emulates ${ACTIONS.join(', ')}.`,
        );
    }
  }

  private arn(group: string): string {
    return `arn:aws:logs:${this.context.region}:${this.context.accountId}:log-group:${group}`;
  }

  private describeLogGroups(input: Input): DescribeLogGroupsResponse {
    const prefix = str(input, 'logGroupNamePrefix');
    const pattern = str(input, 'logGroupNamePattern');
    if (prefix !== undefined && pattern !== undefined)
      throw new AwsError(
        'InvalidParameterException',
        'logGroupNamePrefix and logGroupNamePattern cannot both be given; give one.',
      );
    const limit = int(input, 'limit', 1, 50) ?? 50;
    const groups = this.store
      .list()
      .filter((g) => prefix === undefined || g.logGroupName.startsWith(prefix))
      .filter((g) => pattern === undefined || g.logGroupName.includes(pattern));
    const page = pageByName(groups, (g) => g.logGroupName, limit, str(input, 'nextToken'));
    return {
      logGroups: page.items.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        ...(g.retentionInDays !== undefined && { retentionInDays: g.retentionInDays }),
        metricFilterCount: 0,
        arn: `${this.arn(g.logGroupName)}:*`,
        logGroupArn: this.arn(g.logGroupName),
        storedBytes: storedBytes(g),
        logGroupClass: 'STANDARD',
      })),
      ...(page.nextToken && { nextToken: page.nextToken }),
    };
  }

  private describeLogStreams(input: Input): DescribeLogStreamsResponse {
    const group = this.groupOf(input);
    const prefix = str(input, 'logStreamNamePrefix');
    const orderBy = str(input, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime')
      throw new AwsError(
        'InvalidParameterException',
        `orderBy must be LogStreamName or LastEventTime; received '${orderBy}'.`,
      );
    if (prefix !== undefined && orderBy === 'LastEventTime')
      throw new AwsError(
        'InvalidParameterException',
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    const descending = input['descending'] === true;
    const limit = int(input, 'limit', 1, 50) ?? 50;
    const last = (s: LogStream) => s.events.at(-1)?.timestamp ?? s.creationTime;
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix))
      .sort((a, b) =>
        orderBy === 'LastEventTime'
          ? last(a) - last(b) || a.logStreamName.localeCompare(b.logStreamName)
          : a.logStreamName.localeCompare(b.logStreamName),
      );
    if (descending) streams.reverse();
    const page = pageByOffset(streams, limit, str(input, 'nextToken'));
    return {
      logStreams: page.items.map((s) => ({
        logStreamName: s.logStreamName,
        creationTime: s.creationTime,
        ...(s.events.length && {
          firstEventTimestamp: s.events[0]!.timestamp,
          lastEventTimestamp: s.events.at(-1)!.timestamp,
          lastIngestionTime: s.events.at(-1)!.ingestionTime,
        }),
        arn: `${this.arn(group.logGroupName)}:log-stream:${s.logStreamName}`,
        storedBytes: 0,
      })),
      ...(page.nextToken && { nextToken: page.nextToken }),
    };
  }

  private filterLogEvents(input: Input): FilterLogEventsResponse {
    const group = this.groupOf(input);
    const names = input['logStreamNames'];
    const prefix = str(input, 'logStreamNamePrefix');
    if (names !== undefined && prefix !== undefined)
      throw new AwsError(
        'InvalidParameterException',
        'logStreamNames and logStreamNamePrefix cannot both be given; give one.',
      );
    if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string')))
      throw new AwsError('InvalidParameterException', 'logStreamNames must be a list of strings.');
    const wanted = names ? new Set(names as string[]) : undefined;
    const { startTime, endTime } = timeRange(input);
    const limit = int(input, 'limit', 1, 10_000) ?? 10_000;
    const after = cursor(str(input, 'nextToken'));
    const matches = compileFilterPattern(str(input, 'filterPattern'));
    const found: { stream: string; event: LogEvent }[] = [];
    for (const s of group.streams.values()) {
      if (wanted && !wanted.has(s.logStreamName)) continue;
      if (prefix !== undefined && !s.logStreamName.startsWith(prefix)) continue;
      for (const event of s.events) {
        if (startTime !== undefined && event.timestamp < startTime) continue;
        if (endTime !== undefined && event.timestamp > endTime) continue;
        if (after && !isAfter(event, after)) continue;
        if (matches(event.message)) found.push({ stream: s.logStreamName, event });
      }
    }
    found.sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.seq - b.event.seq);
    const page = found.slice(0, limit);
    const lastEvent = page.at(-1)?.event;
    return {
      events: page.map(({ stream, event }) => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: String(event.seq),
      })),
      searchedLogStreams: [],
      ...(found.length > limit &&
        lastEvent && { nextToken: encode({ t: lastEvent.timestamp, s: lastEvent.seq }) }),
    };
  }

  private getLogEvents(input: Input): GetLogEventsResponse {
    const group = this.groupOf(input);
    const name = str(input, 'logStreamName');
    if (name === undefined)
      throw new AwsError('InvalidParameterException', 'logStreamName is required.');
    const stream = group.streams.get(name);
    if (!stream)
      throw new AwsError(
        'ResourceNotFoundException',
        `The specified log stream does not exist: ${name} in ${group.logGroupName}.`,
      );
    const { startTime, endTime } = timeRange(input);
    const limit = int(input, 'limit', 1, 10_000) ?? 10_000;
    const token = str(input, 'nextToken');
    const m = token === undefined ? undefined : /^([fb])\/(\d+)$/.exec(token);
    if (token !== undefined && !m)
      throw new AwsError(
        'InvalidParameterException',
        `nextToken '${token}' is not a token this API returned (f/<n> or b/<n>).`,
      );
    const inRange = stream.events.filter(
      (e) =>
        (startTime === undefined || e.timestamp >= startTime) &&
        (endTime === undefined || e.timestamp < endTime),
    );
    let page: LogEvent[];
    if (m?.[1] === 'f') page = inRange.filter((e) => e.seq > Number(m[2])).slice(0, limit);
    else if (m?.[1] === 'b') page = inRange.filter((e) => e.seq < Number(m[2])).slice(-limit);
    else page = input['startFromHead'] === true ? inRange.slice(0, limit) : inRange.slice(-limit);
    // At either end the token given comes back, which is how callers know to stop.
    const forward =
      page.at(-1)?.seq ?? (m?.[1] === 'f' ? Number(m[2]) : (inRange.at(-1)?.seq ?? 0));
    const backward = page[0]?.seq ?? (m?.[1] === 'b' ? Number(m[2]) : (inRange[0]?.seq ?? 0));
    return {
      events: page.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: `f/${forward}`,
      nextBackwardToken: `b/${backward}`,
    };
  }

  /** `logGroupName`, or `logGroupIdentifier` (a name or an ARN). */
  private groupOf(input: Input): LogGroup {
    const byName = str(input, 'logGroupName');
    const identifier = str(input, 'logGroupIdentifier');
    if (byName !== undefined && identifier !== undefined)
      throw new AwsError(
        'InvalidParameterException',
        'logGroupName and logGroupIdentifier cannot both be given; give one.',
      );
    const ref = byName ?? identifier;
    if (ref === undefined)
      throw new AwsError(
        'InvalidParameterException',
        'Either logGroupName or logGroupIdentifier is required.',
      );
    const name = /^arn:[^:]+:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/.exec(ref)?.[1] ?? ref;
    const group = this.store.get(name);
    if (!group) {
      const known = this.store.list().map((g) => g.logGroupName);
      throw new AwsError(
        'ResourceNotFoundException',
        `The specified log group does not exist: ${name}. ` +
          `Log groups here: ${known.length ? known.join(', ') : 'none yet (a function creates its group when it is loaded)'}.`,
      );
    }
    return group;
  }
}

function storedBytes(g: LogGroup): number {
  let n = 0;
  for (const s of g.streams.values()) for (const e of s.events) n += Buffer.byteLength(e.message);
  return n;
}

function str(input: Input, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new AwsError(
      'InvalidParameterException',
      `${key} must be a string; received ${JSON.stringify(v)}.`,
    );
  return v;
}

function int(input: Input, key: string, min: number, max: number): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new AwsError(
      'InvalidParameterException',
      `${key} must be an integer from ${min} to ${max}; received ${JSON.stringify(v)}.`,
    );
  return v;
}

function timeRange(input: Input): { startTime?: number; endTime?: number } {
  const startTime = int(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  const endTime = int(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  if (startTime !== undefined && endTime !== undefined && endTime < startTime)
    throw new AwsError(
      'InvalidParameterException',
      `endTime (${endTime}) is before startTime (${startTime}); both are ms since the epoch.`,
    );
  return { startTime, endTime };
}

interface Cursor {
  t: number;
  s: number;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function cursor(token: string | undefined): Cursor | undefined {
  if (token === undefined) return undefined;
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(c.t) && Number.isInteger(c.s)) return c;
  } catch {
    // fall through to the error
  }
  throw new AwsError(
    'InvalidParameterException',
    `nextToken '${token}' is not a token FilterLogEvents returned; pass the nextToken of the previous page.`,
  );
}

/** Events come in (timestamp, arrival) order; a page resumes after the last one it gave. */
const isAfter = (e: LogEvent, c: Cursor) =>
  e.timestamp > c.t || (e.timestamp === c.t && e.seq > c.s);

function pageByName<T>(
  items: readonly T[],
  name: (t: T) => string,
  limit: number,
  token: string | undefined,
): { items: T[]; nextToken?: string } {
  const after = token === undefined ? undefined : Buffer.from(token, 'base64url').toString('utf8');
  const rest = after === undefined ? [...items] : items.filter((i) => name(i) > after);
  const page = rest.slice(0, limit);
  return rest.length > limit
    ? { items: page, nextToken: Buffer.from(name(page.at(-1)!)).toString('base64url') }
    : { items: page };
}

function pageByOffset<T>(
  items: readonly T[],
  limit: number,
  token: string | undefined,
): { items: T[]; nextToken?: string } {
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0)
    throw new AwsError(
      'InvalidParameterException',
      `nextToken '${token}' is not a token this API returned.`,
    );
  const page = items.slice(start, start + limit);
  return start + limit < items.length
    ? { items: page, nextToken: Buffer.from(String(start + limit)).toString('base64url') }
    : { items: page };
}
