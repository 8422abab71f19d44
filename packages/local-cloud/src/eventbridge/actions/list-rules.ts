import type { ListRulesResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { optional, str } from '../input.js';
import { paginate } from '../paging.js';
import { defineAction } from './action.js';
import { eventBusName, paging } from './members.js';

const input = z.object({ NamePrefix: optional(str(1, 64)), EventBusName: eventBusName, ...paging });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html */
export const listRules = defineAction({
  input,
  run(buses, i): ListRulesResponse {
    const bus = buses.resolve(i.EventBusName);
    const rules = [...bus.rules.values()]
      .filter((rule) => i.NamePrefix === undefined || rule.name.startsWith(i.NamePrefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(rules, i);
    return {
      Rules: page.items.map((rule) => buses.ruleView(rule)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
