import * as z from 'zod';
import { optional } from '../input.js';
import { notFound, validationError } from '../validate.js';
import { defineAction } from './action.js';
import { eventBusName } from './members.js';

const input = z.object({
  EventBusName: eventBusName,
  StatementId: optional(z.string()),
  RemoveAllPermissions: optional(z.boolean()),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemovePermission.html */
export const removePermission = defineAction({
  input,
  run(buses, i): Record<string, never> {
    const bus = buses.resolve(i.EventBusName);
    if (i.RemoveAllPermissions === true) {
      delete bus.policy;
      return {};
    }
    if (i.StatementId === undefined) throw validationError('Parameter StatementId is required.');
    if (!bus.policy) throw notFound('EventBus does not have a policy.');
    const remaining = bus.policy.Statement.filter((s) => s['Sid'] !== i.StatementId);
    if (remaining.length === bus.policy.Statement.length) {
      throw notFound('Statement with the provided id does not exist.');
    }
    bus.policy = { ...bus.policy, Statement: remaining };
    return {};
  },
});
