import type { CloudContext } from '../../core/types.js';
import type { RedriveChecks } from '../attributes.js';
import type { InputSchema } from '../input.js';
import type { StoredMessage } from '../message.js';
import type { MoveTask } from '../move-tasks.js';
import type { Queue } from '../queue.js';

/** What the edge passes of the HTTP request. */
export interface SqsRequest {
  headers?: Record<string, string | string[] | undefined>;
  /** An in-process caller's: ends a ReceiveMessage long poll early, empty (the pollers' stop). */
  signal?: AbortSignal;
}

/** What an action may use of the SQS service: its queues, tasks and lookups. */
export interface SqsHost {
  readonly ctx: Pick<CloudContext, 'accountId' | 'region' | 'endpoint'>;
  readonly queues: Map<string, Queue>;
  /** When each queue name was last deleted (epoch ms). */
  readonly deletedAt: Map<string, number>;
  /** Move tasks by source queue ARN, newest first. */
  readonly tasks: Map<string, MoveTask[]>;
  queueByUrl(url: string): Queue;
  queueByArn(arn: string): Queue | undefined;
  attributesOf(queue: Queue, names: string[]): Record<string, string>;
  redriveChecks(queueArn: string, fifo: boolean, creating?: boolean): RedriveChecks;
  /** Called after each delete that removed a message (fault injection may redeliver it). */
  afterDelete(queue: Queue, deleted: StoredMessage | undefined): void;
}

/**
 * One SQS action: its input schema (checked before `run`, in declaration
 * order) and what it does. `O` is the AWS SDK's result type for the action.
 */
export interface SqsAction<I, O> {
  readonly input: InputSchema<I>;
  run(host: SqsHost, input: I, request: SqsRequest): O | Promise<O>;
}

export const defineAction = <I, O>(action: SqsAction<I, O>): SqsAction<I, O> => action;
