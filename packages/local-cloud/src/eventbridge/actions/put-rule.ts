import type { PutRuleResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { oneOf, optional, str } from '../input.js';
import { RULE_STATES, type Rule, type RuleState } from '../model.js';
import { parsePattern } from '../pattern.js';
import { validationError } from '../validate.js';
import { defineAction } from './action.js';
import { description, eventBusName, ruleName, tags } from './members.js';

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((\S+\s+){5}\S+\)$/;

const input = z.object({
  Name: ruleName,
  ScheduleExpression: optional(str(0, 256)),
  EventPattern: optional(str(0, 4096)),
  State: optional(oneOf(RULE_STATES as unknown as [RuleState, ...RuleState[]])),
  Description: description,
  RoleArn: optional(z.string()),
  Tags: tags,
  EventBusName: eventBusName,
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html */
export const putRule = defineAction({
  input,
  run(buses, i): PutRuleResponse {
    const bus = buses.resolve(i.EventBusName);
    const schedule = i.ScheduleExpression;
    if (i.EventPattern === undefined && schedule === undefined) {
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (schedule !== undefined) {
      if (bus.name !== 'default') {
        throw validationError('ScheduleExpression is supported only on the default event bus.');
      }
      if (!RATE.test(schedule) && !CRON.test(schedule)) {
        throw validationError('Parameter ScheduleExpression is not valid.');
      }
    }
    const pattern = i.EventPattern === undefined ? undefined : parsePattern(i.EventPattern);
    const existing = bus.rules.get(i.Name);
    // PutRule replaces the rule; only its targets survive an update.
    const rule: Rule = {
      name: i.Name,
      arn: buses.arns.rule(bus.name, i.Name),
      busName: bus.name,
      state: i.State ?? 'ENABLED',
      targets: existing?.targets ?? new Map(),
    };
    if (i.EventPattern !== undefined) rule.eventPattern = i.EventPattern;
    if (pattern !== undefined) rule.pattern = pattern;
    if (schedule !== undefined) rule.scheduleExpression = schedule;
    if (i.Description !== undefined) rule.description = i.Description;
    if (i.RoleArn !== undefined) rule.roleArn = i.RoleArn;
    bus.rules.set(rule.name, rule);
    buses.setTags(rule.arn, i.Tags);
    return { RuleArn: rule.arn };
  },
});
