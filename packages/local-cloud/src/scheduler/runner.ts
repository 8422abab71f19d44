/**
 * Makes schedules fire: one timer per enabled schedule on the cloud's clock,
 * at its next occurrence (plus a random point of its flexible time window),
 * then the target is invoked, retried with exponential backoff while the
 * RetryPolicy allows, and dead-lettered with Scheduler's attributes
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
 * A one-time schedule fires once, even when its time has passed (then at
 * once), and is deleted afterwards when ActionAfterCompletion is DELETE.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, ClockTimer } from '../core/clock.js';
import { AwsError } from '../core/errors.js';
import type { Recorder, SqsSink } from '../core/types.js';
import { nextOccurrence } from './expression.js';
import { DEFAULT_RETRY_POLICY, type Schedule } from './model.js';
import type { SchedulerStore } from './store.js';

/** What a target deliverer receives: the schedule's Input (or Scheduler's default) as the body. */
export interface ScheduledInvocation {
  target: { Arn: string };
  body: string;
  scheduleArn: string;
  executionId: string;
  scheduledTime: string;
  /** The target's SqsParameters.MessageGroupId, for a FIFO queue. */
  messageGroupId?: string;
}

/** Invokes a kind of target; throw to fail the attempt (it is retried per the RetryPolicy). */
export type ScheduleTargetDeliverer = (invocation: ScheduledInvocation) => Promise<void> | void;

/** Scheduler's target metrics, counted on the Recorder under this service. */
export const SCHEDULER_METRICS = 'Scheduler.targets';

/** Sent when a target has no Input: an empty JSON object. */
const DEFAULT_INPUT = '{}';

export interface RunnerOptions {
  /** First retry delay; doubles per retry up to maxRetryDelayMs (jittered by `random`). */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export class ScheduleRunner {
  private readonly timers = new Map<Schedule, ClockTimer>();
  private readonly retries = new Set<ClockTimer>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly deliverers: { prefix: string; deliver: ScheduleTargetDeliverer }[] = [];
  private readonly fired = new WeakSet<Schedule>();
  private stopped = false;
  private readonly initialDelay: number;
  private readonly maxDelay: number;

  constructor(
    private readonly store: SchedulerStore,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly sqs: SqsSink,
    private readonly recorder: Recorder,
    options: RunnerOptions = {},
  ) {
    this.initialDelay = options.initialRetryDelayMs ?? 1_000;
    this.maxDelay = options.maxRetryDelayMs ?? 60_000;
    // The execution id deduplicates a retried send to a FIFO queue.
    this.register('arn:aws:sqs:', (inv) =>
      sqs.sendMessage(inv.target.Arn, inv.body, undefined, {
        messageGroupId: inv.messageGroupId,
        messageDeduplicationId: inv.executionId,
      }),
    );
  }

  /** Invokes targets whose ARN starts with `arnPrefix` (longest prefix wins); returns an unregister function. */
  register(arnPrefix: string, deliver: ScheduleTargetDeliverer): () => void {
    const entry = { prefix: arnPrefix, deliver };
    this.deliverers.push(entry);
    return () => {
      const at = this.deliverers.indexOf(entry);
      if (at >= 0) this.deliverers.splice(at, 1);
    };
  }

  /** (Re)arms a schedule after it was created or updated. */
  arm(schedule: Schedule): void {
    this.disarm(schedule);
    if (schedule.state !== 'ENABLED' || this.stopped) return;
    // A one-time schedule not yet fired fires even if its time has passed.
    const from = schedule.expression.kind === 'at' ? -Infinity : this.clock.now();
    this.armFrom(schedule, from);
  }

  disarm(schedule: Schedule): void {
    this.timers.get(schedule)?.cancel();
    this.timers.delete(schedule);
  }

  /** Resolves when every invocation started so far has finished (retries not yet due excepted). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const t of this.retries) t.cancel();
    this.retries.clear();
    await this.settled();
  }

  private armFrom(schedule: Schedule, fromMs: number): void {
    if (this.fired.has(schedule) && schedule.expression.kind === 'at') return;
    const occurrence = nextOccurrence(schedule.expression, fromMs, {
      zone: schedule.timezone ?? 'UTC',
      anchorMs: schedule.startDate ?? schedule.creationDate,
      startMs: schedule.startDate,
      endMs: schedule.endDate,
    });
    if (occurrence === undefined) {
      this.complete(schedule);
      return;
    }
    const window = schedule.flexibleTimeWindow;
    const spread =
      window.Mode === 'FLEXIBLE'
        ? Math.floor(this.random() * (window.MaximumWindowInMinutes ?? 0) * 60_000)
        : 0;
    const fireAt = Math.max(occurrence + spread, this.clock.now());
    this.timers.set(
      schedule,
      this.clock.at(fireAt, () => this.fire(schedule, occurrence)),
    );
  }

  private fire(schedule: Schedule, occurrence: number): void {
    this.timers.delete(schedule);
    if (this.stopped || !this.store.holds(schedule) || schedule.state !== 'ENABLED') return;
    this.fired.add(schedule);
    const invocation: ScheduledInvocation = {
      target: { Arn: schedule.target.Arn },
      body: schedule.target.Input ?? DEFAULT_INPUT,
      scheduleArn: schedule.arn,
      executionId: randomUUID(),
      scheduledTime: new Date(occurrence).toISOString(),
      messageGroupId: schedule.target.SqsParameters?.MessageGroupId,
    };
    this.track(this.attempt(schedule, invocation, occurrence, 0));
    if (schedule.expression.kind === 'at') this.complete(schedule);
    else this.armFrom(schedule, occurrence + 1);
  }

  /** No occurrence left: ActionAfterCompletion DELETE removes the schedule. */
  private complete(schedule: Schedule): void {
    if (schedule.actionAfterCompletion === 'DELETE' && this.store.holds(schedule)) {
      this.store.delete(schedule.name, schedule.groupName);
    }
  }

  private async attempt(
    schedule: Schedule,
    invocation: ScheduledInvocation,
    scheduledAt: number,
    retriesDone: number,
  ): Promise<void> {
    const deliver = this.find(invocation.target.Arn);
    if (!deliver) {
      // Stored and answered like AWS, but nothing local can receive this kind of target.
      this.count('UndeliveredInvocations');
      return;
    }
    this.count('InvocationAttemptCount');
    try {
      await deliver(invocation);
      return;
    } catch (error) {
      if (this.stopped) return;
      const policy = { ...DEFAULT_RETRY_POLICY, ...schedule.target.RetryPolicy };
      if (retriesDone >= policy.MaximumRetryAttempts) {
        await this.deadLetter(schedule, invocation, error, retriesDone, 'MaximumRetryAttempts');
        return;
      }
      const delay = this.backoff(retriesDone);
      const age = this.clock.now() + delay - scheduledAt;
      if (age > policy.MaximumEventAgeInSeconds * 1000) {
        await this.deadLetter(schedule, invocation, error, retriesDone, 'MaximumEventAgeInSeconds');
        return;
      }
      this.count('TargetErrorCount');
      const timer = this.clock.at(this.clock.now() + delay, () => {
        this.retries.delete(timer);
        if (this.stopped) return;
        const next = this.attempt(schedule, invocation, scheduledAt, retriesDone + 1);
        this.track(next);
        return next;
      });
      this.retries.add(timer);
    }
  }

  /** Exponential, with half of each delay jittered. */
  private backoff(retriesDone: number): number {
    const full = Math.min(this.maxDelay, this.initialDelay * 2 ** retriesDone);
    return Math.round(full / 2 + (this.random() * full) / 2);
  }

  private async deadLetter(
    schedule: Schedule,
    invocation: ScheduledInvocation,
    error: unknown,
    retriesDone: number,
    condition: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds',
  ): Promise<void> {
    this.count('TargetErrorCount');
    const dlq = schedule.target.DeadLetterConfig?.Arn;
    if (dlq === undefined) {
      this.count('InvocationDroppedCount');
      return;
    }
    try {
      await this.sqs.sendMessage(dlq, invocation.body, {
        ERROR_CODE: codeOf(error),
        ERROR_MESSAGE: error instanceof Error ? error.message : String(error),
        EXECUTION_ID: invocation.executionId,
        EXHAUSTED_RETRY_CONDITION: condition,
        IS_PAYLOAD_TRUNCATED: 'false',
        RETRY_ATTEMPTS: String(retriesDone),
        SCHEDULED_TIME: invocation.scheduledTime,
        SCHEDULE_ARN: invocation.scheduleArn,
        TARGET_ARN: invocation.target.Arn,
      });
      this.count('InvocationsSentToDeadLetterCount');
    } catch {
      this.count('InvocationsFailedToBeSentToDeadLetterCount');
    }
  }

  private track(run: Promise<void>): void {
    const p = run.catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private find(arn: string): ScheduleTargetDeliverer | undefined {
    let best: { prefix: string; deliver: ScheduleTargetDeliverer } | undefined;
    for (const entry of this.deliverers) {
      if (arn.startsWith(entry.prefix) && (!best || entry.prefix.length > best.prefix.length)) {
        best = entry;
      }
    }
    return best?.deliver;
  }

  private count(metric: string): void {
    try {
      this.recorder.countCall(SCHEDULER_METRICS, metric);
    } catch {
      // Observability must never break delivery.
    }
  }
}

function codeOf(error: unknown): string {
  if (error instanceof AwsError) return error.code;
  if (error instanceof Error && error.name && error.name !== 'Error') return error.name;
  return 'InternalServerException';
}
