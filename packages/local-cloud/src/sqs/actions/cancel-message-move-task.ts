import type {
  CancelMessageMoveTaskRequest,
  CancelMessageMoveTaskResult,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { invalidValue, sqsError } from '../errors.js';
import { requiredString } from '../input.js';
import { defineAction } from './action.js';

const input = z.object({
  TaskHandle: requiredString('TaskHandle'),
}) satisfies z.ZodType<CancelMessageMoveTaskRequest>;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CancelMessageMoveTask.html */
export const cancelMessageMoveTask = defineAction({
  input,
  run(host, i): CancelMessageMoveTaskResult {
    let parsed: { taskId?: unknown; sourceArn?: unknown } = {};
    try {
      parsed = JSON.parse(Buffer.from(i.TaskHandle, 'base64').toString('utf8')) as typeof parsed;
    } catch {
      throw invalidValue('TaskHandle', i.TaskHandle, 'The task handle is not valid.');
    }
    const task = (host.tasks.get(String(parsed.sourceArn)) ?? []).find(
      (t) => t.taskId === parsed.taskId,
    );
    if (!task) throw sqsError('ResourceNotFoundException', 'Task does not exist.');
    if (task.status !== 'RUNNING') {
      throw sqsError(
        'UnsupportedOperation',
        `Only active tasks can be cancelled. (local cloud: this task is ${task.status}.)`,
      );
    }
    task.cancel();
    return { ApproximateNumberOfMessagesMoved: task.moved };
  },
});
