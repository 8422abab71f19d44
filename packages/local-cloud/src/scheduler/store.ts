/**
 * Schedule groups and schedules, with the checks Scheduler makes beyond the
 * request shapes: https://docs.aws.amazon.com/scheduler/latest/APIReference/
 * (API_CreateSchedule, API_UpdateSchedule, API_DeleteScheduleGroup, ...).
 * The `default` group always exists and cannot be deleted.
 */
import { AwsError } from '../core/errors.js';
import { checkTimeZone, ExpressionError, parseExpression } from './expression.js';
import { validationException, type ScheduleBody } from './input.js';
import { SchedulerArns, type Schedule, type ScheduleGroup } from './model.js';

export const DEFAULT_GROUP = 'default';

const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
const conflict = (message: string) => new AwsError('ConflictException', message, 409);

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export class SchedulerStore {
  private readonly groups = new Map<string, ScheduleGroup>();
  /** By `<group>/<name>`. */
  private readonly schedules = new Map<string, Schedule>();
  readonly arns: SchedulerArns;

  constructor(
    ctx: { region: string; accountId: string },
    private readonly now: () => number,
  ) {
    this.arns = new SchedulerArns(ctx);
    this.addGroup(DEFAULT_GROUP, []);
  }

  // ---- groups ----

  createGroup(name: string, tags: { Key: string; Value: string }[] = []): ScheduleGroup {
    if (this.groups.has(name)) throw conflict(`Schedule group ${name} already exists.`);
    return this.addGroup(name, tags);
  }

  group(name: string): ScheduleGroup {
    const g = this.groups.get(name);
    if (!g) throw notFound(`Schedule group ${name} does not exist.`);
    return g;
  }

  /** Deletes the group and every schedule in it; answers the schedules removed. */
  deleteGroup(name: string): Schedule[] {
    if (name === DEFAULT_GROUP) {
      throw validationException('The default schedule group cannot be deleted.');
    }
    this.group(name);
    this.groups.delete(name);
    const removed = [...this.schedules.values()].filter((s) => s.groupName === name);
    for (const s of removed) this.schedules.delete(key(s.groupName, s.name));
    return removed;
  }

  listGroups(o: {
    namePrefix?: string;
    nextToken?: string;
    maxResults?: number;
  }): Page<ScheduleGroup> {
    const all = [...this.groups.values()]
      .filter((g) => o.namePrefix === undefined || g.name.startsWith(o.namePrefix))
      .sort((a, b) => byKey(a.name, b.name));
    return page(all, (g) => g.name, o.nextToken, o.maxResults);
  }

  private addGroup(name: string, tags: { Key: string; Value: string }[]): ScheduleGroup {
    const at = this.now();
    const g: ScheduleGroup = {
      name,
      arn: this.arns.group(name),
      creationDate: at,
      lastModificationDate: at,
      tags: new Map(tags.map((t) => [t.Key, t.Value])),
    };
    this.groups.set(name, g);
    return g;
  }

  // ---- tags (only schedule groups have them) ----

  groupByArn(arn: string): ScheduleGroup {
    const g = [...this.groups.values()].find((x) => x.arn === arn);
    if (!g) {
      throw notFound(
        `Resource ${arn} does not exist. Only schedule groups are tagged (arn:aws:scheduler:<region>:<account>:schedule-group/<name>).`,
      );
    }
    return g;
  }

  // ---- schedules ----

  /** CreateSchedule: a name already in the group is a ConflictException unless the ClientToken repeats. */
  create(body: ScheduleBody): { schedule: Schedule; created: boolean } {
    const groupName = body.GroupName ?? DEFAULT_GROUP;
    this.group(groupName);
    const existing = this.schedules.get(key(groupName, body.Name));
    if (existing) {
      if (body.ClientToken !== undefined && existing.clientToken === body.ClientToken) {
        return { schedule: existing, created: false };
      }
      throw conflict(`Schedule ${body.Name} already exists.`);
    }
    const at = this.now();
    const schedule = this.build(body, groupName, at, at);
    this.schedules.set(key(groupName, body.Name), schedule);
    return { schedule, created: true };
  }

  /** UpdateSchedule replaces every member, as AWS does: what the request leaves out is reset. */
  update(body: ScheduleBody): Schedule {
    const groupName = body.GroupName ?? DEFAULT_GROUP;
    const existing = this.get(body.Name, groupName);
    const schedule = this.build(body, groupName, existing.creationDate, this.now());
    this.schedules.set(key(groupName, body.Name), schedule);
    return schedule;
  }

  get(name: string, groupName = DEFAULT_GROUP): Schedule {
    this.group(groupName);
    const s = this.schedules.get(key(groupName, name));
    if (!s) throw notFound(`Schedule ${name} does not exist.`);
    return s;
  }

  /** True if this very schedule (not a later one of the same name) is still stored. */
  holds(s: Schedule): boolean {
    return this.schedules.get(key(s.groupName, s.name)) === s;
  }

  delete(name: string, groupName = DEFAULT_GROUP): Schedule {
    const s = this.get(name, groupName);
    this.schedules.delete(key(groupName, name));
    return s;
  }

  list(o: {
    groupName?: string;
    namePrefix?: string;
    state?: string;
    nextToken?: string;
    maxResults?: number;
  }): Page<Schedule> {
    const all = [...this.schedules.values()]
      .filter((s) => o.groupName === undefined || s.groupName === o.groupName)
      .filter((s) => o.namePrefix === undefined || s.name.startsWith(o.namePrefix))
      .filter((s) => o.state === undefined || s.state === o.state)
      .sort((a, b) => byKey(key(a.groupName, a.name), key(b.groupName, b.name)));
    return page(all, (s) => key(s.groupName, s.name), o.nextToken, o.maxResults);
  }

  all(): Schedule[] {
    return [...this.schedules.values()];
  }

  private build(
    body: ScheduleBody,
    groupName: string,
    created: number,
    modified: number,
  ): Schedule {
    let expression;
    try {
      expression = parseExpression(body.ScheduleExpression);
      if (body.ScheduleExpressionTimezone !== undefined)
        checkTimeZone(body.ScheduleExpressionTimezone);
    } catch (error) {
      if (error instanceof ExpressionError) throw validationException(error.message);
      throw error;
    }
    const startDate = body.StartDate === undefined ? undefined : body.StartDate * 1000;
    const endDate = body.EndDate === undefined ? undefined : body.EndDate * 1000;
    if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
      throw validationException('The StartDate you specify must come before the EndDate.');
    }
    if (endDate !== undefined && endDate < this.now()) {
      throw validationException('The EndDate you specify cannot be earlier than the current date.');
    }
    const window = body.FlexibleTimeWindow;
    if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
      throw validationException(
        'FlexibleTimeWindow.MaximumWindowInMinutes is required when FlexibleTimeWindow.Mode is FLEXIBLE (1 to 1440 minutes).',
      );
    }
    const target = body.Target;
    if (
      target.Arn.startsWith('arn:aws:lambda:') &&
      target.Input !== undefined &&
      !isJson(target.Input)
    ) {
      throw validationException(
        `Target.Input must be well-formed JSON for a Lambda target; received ${JSON.stringify(target.Input.slice(0, 80))}.`,
      );
    }
    return {
      name: body.Name,
      groupName,
      arn: this.arns.schedule(groupName, body.Name),
      expressionText: body.ScheduleExpression,
      expression,
      ...(body.ScheduleExpressionTimezone !== undefined && {
        timezone: body.ScheduleExpressionTimezone,
      }),
      ...(startDate !== undefined && { startDate }),
      ...(endDate !== undefined && { endDate }),
      ...(body.Description !== undefined && { description: body.Description }),
      state: body.State ?? 'ENABLED',
      ...(body.KmsKeyArn !== undefined && { kmsKeyArn: body.KmsKeyArn }),
      actionAfterCompletion: body.ActionAfterCompletion ?? 'NONE',
      flexibleTimeWindow: {
        Mode: window.Mode,
        ...(window.Mode === 'FLEXIBLE' && {
          MaximumWindowInMinutes: window.MaximumWindowInMinutes,
        }),
      },
      target,
      creationDate: created,
      lastModificationDate: modified,
      ...(body.ClientToken !== undefined && { clientToken: body.ClientToken }),
    };
  }
}

const key = (groupName: string, name: string) => `${groupName}/${name}`;

/** Code-unit order, the same order the page tokens compare in. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Pages by key: the token is the last key answered, so deletions between pages skip nothing. */
function page<T>(all: T[], keyOf: (t: T) => string, token?: string, max?: number): Page<T> {
  let from = 0;
  if (token !== undefined) {
    let after: string;
    try {
      after = Buffer.from(token, 'base64url').toString('utf8');
    } catch {
      after = '';
    }
    if (!after.startsWith('k:')) {
      throw validationException(
        `The NextToken '${token}' is not one this API answered; pass the NextToken of the previous page.`,
      );
    }
    const last = after.slice(2);
    from = all.findIndex((t) => keyOf(t) > last);
    if (from < 0) from = all.length;
  }
  const size = max ?? 100;
  const items = all.slice(from, from + size);
  const more = from + size < all.length;
  return {
    items,
    ...(more && { nextToken: Buffer.from(`k:${keyOf(items.at(-1)!)}`).toString('base64url') }),
  };
}
