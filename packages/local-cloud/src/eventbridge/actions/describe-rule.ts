import type { DescribeRuleResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { defineAction } from './action.js';
import { eventBusName, ruleName } from './members.js';

const input = z.object({ Name: ruleName, EventBusName: eventBusName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html */
export const describeRule = defineAction({
  input,
  run(buses, i): DescribeRuleResponse {
    const rule = buses.requireRule(i.Name, i.EventBusName);
    return { ...buses.ruleView(rule), CreatedBy: buses.accountId };
  },
});
