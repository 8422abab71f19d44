import * as z from 'zod';
import { validationError } from '../validate.js';
import { defineAction } from './action.js';
import { eventBusName, ruleName } from './members.js';

const input = z.object({ Name: ruleName, EventBusName: eventBusName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html */
export const deleteRule = defineAction({
  input,
  run(buses, i): Record<string, never> {
    const bus = buses.resolve(i.EventBusName);
    const rule = bus.rules.get(i.Name);
    if (!rule) return {}; // idempotent, as in AWS
    if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
    bus.rules.delete(rule.name);
    buses.dropTags(rule.arn);
    return {};
  },
});
