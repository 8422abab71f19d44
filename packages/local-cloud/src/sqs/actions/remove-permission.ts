import type { RemovePermissionRequest } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { invalidValue } from '../errors.js';
import { queueUrl, requiredString } from '../input.js';
import { defineAction } from './action.js';
import { policyOf, setPolicy } from './permissions.js';

const input = z.object({
  ...queueUrl,
  Label: requiredString('Label'),
}) satisfies z.ZodType<RemovePermissionRequest>;

/**
 * Removes the statement AddPermission wrote under `Label`.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html
 */
export const removePermission = defineAction({
  input,
  run(host, i): Record<string, never> {
    const q = host.queueByUrl(i.QueueUrl);
    const doc = policyOf(q);
    const kept = doc.Statement.filter((s) => s.Sid !== i.Label);
    if (kept.length === doc.Statement.length) {
      throw invalidValue('Label', i.Label, "can't find label on existing policy.");
    }
    setPolicy(q, { ...doc, Statement: kept });
    return {};
  },
});
