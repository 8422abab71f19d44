import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../core/errors.js';
import type { Recorder, SqsSink } from '../core/types.js';
import type { FaultInjector } from '../faults/plan.js';
import type { BusEvent, StoredTarget } from './model.js';

/** One event on its way to one target. */
export interface DeliveryRequest {
  target: StoredTarget;
  rule: { name: string; arn: string; busName: string };
  /** The event as the bus received it (what a dead-letter queue gets). */
  event: BusEvent;
  /** The target's input after Input / InputPath / InputTransformer. */
  body: string;
}

/** Sends a request to a kind of target; throw to fail the attempt (it is retried). */
export type TargetDeliverer = (request: DeliveryRequest) => Promise<void> | void;

export interface RetryOptions {
  /** Retries after the first attempt (AWS retries up to 185 times over 24 h; locally far fewer). */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
};

export interface FailedInvocation {
  time: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
  sentToDlq: boolean;
}

/** The metrics EventBridge publishes to CloudWatch, counted on the Recorder under this service. */
export const METRICS_SERVICE = 'EventBridge.targets';

/** Errors for which retrying cannot help; EventBridge gives up on these at once. */
const PERMANENT = new Set([
  'AWS.SimpleQueueService.NonExistentQueue',
  'QueueDoesNotExist',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'LoopDetected',
  'InvalidInputTemplate',
]);

export class Deliveries {
  private readonly deliverers: { prefix: string; deliver: TargetDeliverer }[] = [];
  private readonly pending = new Set<Promise<void>>();
  // Every delayed delivery and retry waits on this one signal at once (each wait removes its
  // listener when it ends), so the default cap of 10 listeners is no sign of a leak here.
  private readonly aborter = (() => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  })();
  private readonly failed: FailedInvocation[] = [];

  constructor(
    private readonly sqs: SqsSink,
    private readonly recorder: Recorder,
    private readonly retryOptions: RetryOptions,
    private readonly faults?: FaultInjector,
  ) {
    // A FIFO queue target gets the rule's SqsParameters.MessageGroupId and the event id as
    // MessageDeduplicationId, so a retried delivery is not enqueued twice.
    this.register('arn:aws:sqs:', ({ target, body, event }) =>
      sqs.sendMessage(target.Arn, body, undefined, {
        messageGroupId: (target['SqsParameters'] as { MessageGroupId?: string } | undefined)
          ?.MessageGroupId,
        messageDeduplicationId: typeof event['id'] === 'string' ? event['id'] : undefined,
      }),
    );
  }

  /**
   * Lets another local service deliver targets whose ARN starts with `arnPrefix`
   * (e.g. `arn:aws:lambda:`). The longest matching prefix wins. Returns an
   * unregister function.
   */
  register(arnPrefix: string, deliver: TargetDeliverer): () => void {
    const entry = { prefix: arnPrefix, deliver };
    this.deliverers.push(entry);
    return () => {
      const at = this.deliverers.indexOf(entry);
      if (at >= 0) this.deliverers.splice(at, 1);
    };
  }

  /** Starts a delivery in the background; PutEvents never waits for it. */
  deliver(request: DeliveryRequest): void {
    if (this.aborter.signal.aborted) return;
    const deliverer = this.find(request.target.Arn);
    if (!deliverer) {
      // Accepted and stored like AWS, but nothing local can receive it yet.
      this.count('UndeliveredInvocations');
      return;
    }
    // Fault injection (local/faults): a random extra delay reorders deliveries, and a
    // delivery may be made twice (at-least-once). Bus-to-bus hops are not duplicated:
    // the targets of the next bus are, so a chain does not multiply copies.
    if (this.faults?.enabled()) {
      this.start(deliverer, request, this.faults.delayMs());
      if (!isBusTarget(request) && this.faults.roll('duplicate', request.target.Arn)) {
        this.start(deliverer, request, this.faults.delayMs());
      }
      return;
    }
    this.start(deliverer, request, 0);
  }

  private start(deliverer: TargetDeliverer, request: DeliveryRequest, delayMs: number): void {
    // setImmediate: the PutEvents response goes out before any delivery starts.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        delayMs > 0 ? sleep(delayMs, undefined, { signal: this.aborter.signal }) : undefined,
      )
      .then(() => this.attempt(deliverer, request))
      .catch(() => undefined);
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  /** Resolves once every delivery started so far (and any they started) has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Counts an invocation that failed before any attempt (AWS refused the input at delivery). */
  refuse(request: DeliveryRequest, error: unknown): void {
    this.count('Invocations');
    void this.fail(request, error, 1);
  }

  /** Cancels pending retries and waits for in-flight attempts. */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.settled();
  }

  failures(): FailedInvocation[] {
    return [...this.failed];
  }

  private find(arn: string): TargetDeliverer | undefined {
    let best: { prefix: string; deliver: TargetDeliverer } | undefined;
    for (const entry of this.deliverers) {
      if (arn.startsWith(entry.prefix) && (!best || entry.prefix.length > best.prefix.length)) {
        best = entry;
      }
    }
    return best?.deliver;
  }

  /**
   * Tries, then retries with exponential backoff and jitter (cockatiel computes
   * the delays). The loop is ours because cockatiel's retry cannot abort a
   * backoff that is already sleeping, and stop() must not wait for one.
   */
  private async attempt(deliver: TargetDeliverer, request: DeliveryRequest): Promise<void> {
    const signal = this.aborter.signal;
    const retries = this.maxRetries(request.target);
    const factory = new ExponentialBackoff({
      initialDelay: this.retryOptions.initialDelayMs,
      maxDelay: this.retryOptions.maxDelayMs,
    });
    let backoff: IBackoff<unknown> | undefined;
    this.count('Invocations');
    for (let attempts = 1; ; attempts++) {
      try {
        await deliver(request);
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (attempts > retries || PERMANENT.has(codeOf(error))) {
          await this.fail(request, error, attempts);
          return;
        }
      }
      backoff = backoff ? backoff.next(undefined) : factory.next();
      this.count('RetryInvocationAttempts');
      try {
        await sleep(backoff.duration, undefined, { signal });
      } catch {
        return; // stopped
      }
    }
  }

  private maxRetries(target: StoredTarget): number {
    const policy = target['RetryPolicy'] as { MaximumRetryAttempts?: unknown } | undefined;
    const asked = policy?.MaximumRetryAttempts;
    const local = this.retryOptions.maxRetries;
    return typeof asked === 'number' ? Math.max(0, Math.min(asked, local)) : local;
  }

  private async fail(request: DeliveryRequest, error: unknown, attempts: number): Promise<void> {
    this.count('FailedInvocations');
    const errorCode = codeOf(error);
    const errorMessage = error instanceof Error ? error.message : String(error);
    const dlq = (request.target['DeadLetterConfig'] as { Arn?: unknown } | undefined)?.Arn;
    let sentToDlq = false;
    if (typeof dlq === 'string' && dlq.startsWith('arn:aws:sqs:')) {
      try {
        // The attributes EventBridge sets on messages it dead-letters.
        await this.sqs.sendMessage(dlq, JSON.stringify(request.event), {
          RULE_ARN: request.rule.arn,
          TARGET_ARN: request.target.Arn,
          ERROR_CODE: errorCode,
          ERROR_MESSAGE: errorMessage,
          EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
          RETRY_ATTEMPTS: String(Math.max(0, attempts - 1)),
        });
        sentToDlq = true;
        this.count('InvocationsSentToDlq');
      } catch {
        this.count('InvocationsFailedToBeSentToDlq');
      }
    }
    this.failed.push({
      time: new Date().toISOString(),
      ruleArn: request.rule.arn,
      targetId: request.target.Id,
      targetArn: request.target.Arn,
      errorCode,
      errorMessage,
      attempts,
      sentToDlq,
    });
    if (this.failed.length > 1_000) this.failed.shift();
  }

  private count(metric: string): void {
    try {
      this.recorder.countCall(METRICS_SERVICE, metric);
    } catch {
      // Observability must never break delivery.
    }
  }
}

function isBusTarget(request: DeliveryRequest): boolean {
  return (
    request.target.Arn.startsWith('arn:aws:events:') && request.target.Arn.includes(':event-bus/')
  );
}

function codeOf(error: unknown): string {
  if (error instanceof AwsError) return error.code;
  if (error instanceof Error && error.name && error.name !== 'Error') return error.name;
  return 'InternalFailure';
}
