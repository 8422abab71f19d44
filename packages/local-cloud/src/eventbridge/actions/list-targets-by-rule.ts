import type { ListTargetsByRuleResponse, Target } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { paginate } from '../paging.js';
import { defineAction } from './action.js';
import { eventBusName, paging, ruleName } from './members.js';

const input = z.object({ Rule: ruleName, EventBusName: eventBusName, ...paging });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html */
export const listTargetsByRule = defineAction({
  input,
  run(buses, i): ListTargetsByRuleResponse {
    const rule = buses.requireRule(i.Rule, i.EventBusName);
    const page = paginate([...rule.targets.values()], i);
    return {
      // Stored as PutTargets received them.
      Targets: page.items as Target[],
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
