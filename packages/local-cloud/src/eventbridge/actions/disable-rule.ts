import * as z from 'zod';
import { defineAction } from './action.js';
import { eventBusName, ruleName } from './members.js';

const input = z.object({ Name: ruleName, EventBusName: eventBusName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html */
export const disableRule = defineAction({
  input,
  run(buses, i): Record<string, never> {
    buses.requireRule(i.Name, i.EventBusName).state = 'DISABLED';
    return {};
  },
});
