/**
 * EventBridge Scheduler on the edge (REST-JSON, signing name `scheduler`):
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html
 * Schedules, schedule groups and their tags, and the runner that fires them
 * on the cloud's clock.
 */
import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import type { Clock } from '../core/clock.js';
import { AwsError } from '../core/errors.js';
import type { CloudContext, SqsSink } from '../core/types.js';
import type { EdgeResponse, Route } from '../edge/http.js';
import { restJson } from '../edge/rest-json.js';
import {
  clientToken,
  groupName,
  parseInput,
  scheduleBody,
  scheduleName,
  tags,
  validationException,
} from './input.js';
import { groupView, scheduleSummary, scheduleView } from './model.js';
import { ScheduleRunner, type RunnerOptions, type ScheduleTargetDeliverer } from './runner.js';
import { SchedulerStore } from './store.js';

export type { ScheduledInvocation, ScheduleTargetDeliverer } from './runner.js';

export interface SchedulerOptions extends RunnerOptions {
  clock: Clock;
  /** Draws the point of a flexible time window and the retry jitter; default Math.random. */
  random?: () => number;
}

export interface SchedulerService {
  /** The REST routes to add to the edge. */
  readonly routes: readonly Route[];
  /**
   * Invokes targets whose ARN starts with `arnPrefix` (e.g. `arn:aws:lambda:`);
   * SQS queues are built in. Returns a function that unregisters it.
   */
  registerTargetDeliverer(arnPrefix: string, deliver: ScheduleTargetDeliverer): () => void;
  /** Resolves when every invocation started so far has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const maxResults = z.coerce
  .number({ error: 'Member must be a number' })
  .int({ error: 'Member must be an integer' })
  .min(1, { error: 'Member must have value greater than or equal to 1' })
  .max(100, { error: 'Member must have value less than or equal to 100' });

const listSchedulesQuery = z.object({
  ScheduleGroup: groupName.optional(),
  NamePrefix: scheduleName.optional(),
  State: z
    .enum(['ENABLED', 'DISABLED'], {
      error: 'Member must satisfy enum value set: [ENABLED, DISABLED]',
    })
    .optional(),
  NextToken: z.string().min(1).max(2048).optional(),
  MaxResults: maxResults.optional(),
});

const listGroupsQuery = z.object({
  NamePrefix: groupName.optional(),
  NextToken: z.string().min(1).max(2048).optional(),
  MaxResults: maxResults.optional(),
});

const scheduleRef = z.object({ Name: scheduleName, GroupName: groupName.optional() });
const groupCreate = z.object({
  Name: groupName,
  Tags: tags.optional(),
  ClientToken: clientToken.optional(),
});
const groupRef = z.object({ Name: groupName });
const tagResource = z.object({ ResourceArn: z.string().min(1).max(1011), Tags: tags });
const untagResource = z.object({
  ResourceArn: z.string().min(1).max(1011),
  TagKeys: z.array(z.string().min(1).max(128)).min(1).max(200),
});

export function createScheduler(
  ctx: CloudContext,
  sqs: SqsSink,
  options: SchedulerOptions,
): SchedulerService {
  const clock = options.clock;
  const store = new SchedulerStore(ctx, () => clock.now());
  const runner = new ScheduleRunner(
    store,
    clock,
    options.random ?? Math.random,
    sqs,
    ctx.recorder,
    options,
  );

  type Handler = (
    match: RegExpMatchArray,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ) => unknown;
  const route = (method: string, path: RegExp, action: string, run: Handler): Route => ({
    method,
    path,
    service: 'Scheduler',
    action,
    signingName: 'scheduler',
    handle: async (req: IncomingMessage, raw: Buffer, match: RegExpMatchArray) =>
      answer(run(match, queryOf(req), jsonBody(raw))),
  });

  const routes: Route[] = [
    route('POST', SCHEDULE, 'CreateSchedule', (m, _q, body) => {
      const input = parseInput(scheduleBody, { ...body, Name: label(m) });
      const { schedule, created } = store.create(input);
      if (created) runner.arm(schedule);
      return { ScheduleArn: schedule.arn };
    }),
    route('GET', SCHEDULE, 'GetSchedule', (m, q) => {
      const input = parseInput(scheduleRef, {
        Name: label(m),
        GroupName: q.get('groupName') ?? undefined,
      });
      return scheduleView(store.get(input.Name, input.GroupName));
    }),
    route('PUT', SCHEDULE, 'UpdateSchedule', (m, _q, body) => {
      const input = parseInput(scheduleBody, { ...body, Name: label(m) });
      const before = store.get(input.Name, input.GroupName);
      const schedule = store.update(input);
      runner.disarm(before);
      runner.arm(schedule);
      return { ScheduleArn: schedule.arn };
    }),
    route('DELETE', SCHEDULE, 'DeleteSchedule', (m, q) => {
      const input = parseInput(scheduleRef, {
        Name: label(m),
        GroupName: q.get('groupName') ?? undefined,
      });
      runner.disarm(store.delete(input.Name, input.GroupName));
      return {};
    }),
    route('GET', /^\/schedules\/?$/, 'ListSchedules', (_m, q) => {
      const input = parseInput(listSchedulesQuery, Object.fromEntries(q));
      const page = store.list({
        groupName: input.ScheduleGroup,
        namePrefix: input.NamePrefix,
        state: input.State,
        nextToken: input.NextToken,
        maxResults: input.MaxResults,
      });
      return {
        Schedules: page.items.map(scheduleSummary),
        ...(page.nextToken && { NextToken: page.nextToken }),
      };
    }),
    route('POST', GROUP, 'CreateScheduleGroup', (m, _q, body) => {
      const input = parseInput(groupCreate, { ...body, Name: label(m) });
      return { ScheduleGroupArn: store.createGroup(input.Name, input.Tags).arn };
    }),
    route('GET', GROUP, 'GetScheduleGroup', (m) => {
      const input = parseInput(groupRef, { Name: label(m) });
      return groupView(store.group(input.Name));
    }),
    route('DELETE', GROUP, 'DeleteScheduleGroup', (m) => {
      const input = parseInput(groupRef, { Name: label(m) });
      for (const s of store.deleteGroup(input.Name)) runner.disarm(s);
      return {};
    }),
    route('GET', /^\/schedule-groups\/?$/, 'ListScheduleGroups', (_m, q) => {
      const input = parseInput(listGroupsQuery, Object.fromEntries(q));
      const page = store.listGroups({
        namePrefix: input.NamePrefix,
        nextToken: input.NextToken,
        maxResults: input.MaxResults,
      });
      return {
        ScheduleGroups: page.items.map(groupView),
        ...(page.nextToken && { NextToken: page.nextToken }),
      };
    }),
    route('POST', TAGS, 'TagResource', (m, _q, body) => {
      const input = parseInput(tagResource, { ...body, ResourceArn: label(m) });
      const group = store.groupByArn(input.ResourceArn);
      for (const t of input.Tags) group.tags.set(t.Key, t.Value);
      if (group.tags.size > 200) {
        throw validationException(
          `A resource has at most 200 tags; ${input.ResourceArn} would have ${group.tags.size}.`,
        );
      }
      return {};
    }),
    route('DELETE', TAGS, 'UntagResource', (m, q) => {
      const input = parseInput(untagResource, {
        ResourceArn: label(m),
        TagKeys: q.getAll('TagKeys'),
      });
      const group = store.groupByArn(input.ResourceArn);
      for (const k of input.TagKeys) group.tags.delete(k);
      return {};
    }),
    route('GET', TAGS, 'ListTagsForResource', (m) => {
      const group = store.groupByArn(label(m));
      return { Tags: [...group.tags].map(([Key, Value]) => ({ Key, Value })) };
    }),
  ];

  return {
    routes,
    registerTargetDeliverer: (prefix, deliver) => runner.register(prefix, deliver),
    settled: () => runner.settled(),
    stop: () => runner.stop(),
  };
}

const SCHEDULE = /^\/schedules\/([^/]+)$/;
const GROUP = /^\/schedule-groups\/([^/]+)$/;
const TAGS = /^\/tags\/(.+)$/;

/** A path label as the SDK sends it: URI-encoded. */
function label(match: RegExpMatchArray): string {
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    throw validationException(`The path segment '${match[1]}' is not valid URI encoding.`);
  }
}

function queryOf(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://edge').searchParams;
}

function jsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function answer(result: unknown): EdgeResponse {
  return restJson(result ?? {});
}
