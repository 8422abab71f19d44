import type { ListRuleNamesByTargetResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { required, str } from '../input.js';
import { paginate } from '../paging.js';
import { defineAction } from './action.js';
import { eventBusName, paging } from './members.js';

const input = z.object({
  TargetArn: required(str(1, 1600)),
  EventBusName: eventBusName,
  ...paging,
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRuleNamesByTarget.html */
export const listRuleNamesByTarget = defineAction({
  input,
  run(buses, i): ListRuleNamesByTargetResponse {
    const bus = buses.resolve(i.EventBusName);
    const names = [...bus.rules.values()]
      .filter((rule) => [...rule.targets.values()].some((t) => t.Arn === i.TargetArn))
      .map((rule) => rule.name)
      .sort();
    const page = paginate(names, i);
    return {
      RuleNames: page.items,
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
