import type { AddPermissionRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { invalidValue, missing, sqsError } from '../errors.js';
import { queueUrl, requiredString, stringList } from '../input.js';
import { defineAction } from './action.js';
import { policyOf, setPolicy } from './permissions.js';

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_ACTIONS = 7;
/** The actions a queue owner may share; the others stay the owner's own. */
const SHAREABLE = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
]);

const input = z.object({
  ...queueUrl,
  Label: requiredString('Label'),
  AWSAccountIds: stringList,
  Actions: stringList,
}) satisfies z.ZodType<AddPermissionRequest>;

/**
 * Adds a statement to the queue's Policy attribute; the local cloud stores it
 * and, as everywhere, does not enforce queue policies.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
 * Messages as moto's tests record them (getmoto/moto tests/test_sqs/test_sqs.py).
 */
export const addPermission = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    if (!LABEL.test(i.Label)) {
      throw invalidValue(
        'Label',
        i.Label,
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    if (i.Actions.length === 0) throw missing('Actions');
    if (i.AWSAccountIds.length === 0) {
      throw sqsError(
        'InvalidParameterValue',
        'Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.',
      );
    }
    if (i.Actions.length > MAX_ACTIONS) {
      throw sqsError(
        'OverLimit',
        `${i.Actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`,
      );
    }
    for (const action of i.Actions) {
      if (!SHAREABLE.has(action)) {
        throw invalidValue(
          'ActionName',
          `SQS:${action}`,
          'Only the queue owner is allowed to invoke this action.',
        );
      }
    }
    const doc = policyOf(q);
    if (doc.Statement.some((s) => s.Sid === i.Label)) {
      throw invalidValue('Label', i.Label, 'Already exists.');
    }
    const principals = i.AWSAccountIds.map((id) => `arn:aws:iam::${id}:root`);
    const actions = i.Actions.map((a) => `SQS:${a}`);
    doc.Statement.push({
      Sid: i.Label,
      Effect: 'Allow',
      Principal: { AWS: principals.length === 1 ? principals[0] : principals },
      Action: actions.length === 1 ? actions[0] : actions,
      Resource: q.arn,
    });
    setPolicy(q, doc);
    return {};
  },
});
