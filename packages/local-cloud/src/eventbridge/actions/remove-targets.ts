import type { RemoveTargetsResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { list, optional, required } from '../input.js';
import { defineAction } from './action.js';
import { eventBusName, ruleName } from './members.js';

const input = z.object({
  Rule: ruleName,
  EventBusName: eventBusName,
  Ids: required(list(z.string(), 1, 100)),
  Force: optional(z.boolean()),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html */
export const removeTargets = defineAction({
  input,
  run(buses, i): RemoveTargetsResponse {
    const rule = buses.requireRule(i.Rule, i.EventBusName);
    const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const id of i.Ids) {
      if (!rule.targets.delete(id)) {
        failed.push({
          TargetId: id,
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        });
      }
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },
});
