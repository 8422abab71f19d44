import type { PutTargetsResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { AwsError } from '../../core/errors.js';
import { targetProblem } from '../buses.js';
import { list, optional, required, str } from '../input.js';
import type { StoredTarget } from '../model.js';
import { validateTargetInput } from '../transform.js';
import { NAME_PATTERN, NAME_PATTERN_TEXT } from '../validate.js';
import { defineAction } from './action.js';
import { eventBusName, ruleName } from './members.js';

const MAX_TARGETS_PER_RULE = 5;

const inputTransformer = z.looseObject({
  InputTemplate: required(str(1, 8192)),
  InputPathsMap: optional(
    z.record(z.string(), z.unknown()).refine((map) => Object.keys(map).length <= 100, {
      error: 'Member must have length less than or equal to 100',
    }),
  ),
});

const target = z.looseObject({
  Id: required(str(1, 64, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT })),
  Arn: required(str(1, 1600)),
  InputTransformer: optional(inputTransformer),
});

const input = z.object({
  Rule: ruleName,
  EventBusName: eventBusName,
  Targets: required(list(target, 1, 10)),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html */
export const putTargets = defineAction({
  input,
  run(buses, i): PutTargetsResponse {
    const rule = buses.requireRule(i.Rule, i.EventBusName);
    // Validate every target before storing any, so a rejected request changes nothing.
    const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
    const accepted: StoredTarget[] = [];
    i.Targets.forEach((raw) => {
      const t = structuredClone(raw) as StoredTarget;
      validateTargetInput(t);
      const problem = targetProblem(t);
      if (problem)
        failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: problem });
      else accepted.push(t);
    });
    const added = new Set(accepted.map((t) => t.Id).filter((id) => !rule.targets.has(id)));
    if (rule.targets.size + added.size > MAX_TARGETS_PER_RULE) {
      throw new AwsError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed. (local cloud: rule ${rule.name} would have ` +
          `${rule.targets.size + added.size} targets; the limit is ${MAX_TARGETS_PER_RULE}.)`,
      );
    }
    for (const t of accepted) rule.targets.set(t.Id, t);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },
});
