import { z } from 'zod';
import { sqsError } from '../errors.js';
import { defineAction } from './action.js';

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html */
export const removePermission = defineAction({
  input: z.unknown(),
  run(): never {
    throw sqsError(
      'UnsupportedOperation',
      'RemovePermission is not emulated by the local cloud; permissions are never checked locally, so set the Policy attribute with SetQueueAttributes if you need it stored.',
    );
  },
});
