import * as z from 'zod';
import type { Bus } from '../model.js';
import { optional, parseInput, required } from '../input.js';
import { validationError } from '../validate.js';
import { defineAction } from './action.js';
import { eventBusName } from './members.js';

const statement = z.object({
  StatementId: required(z.string()),
  Principal: required(z.string()),
  Action: required(z.string()),
  Condition: optional(z.record(z.string(), z.unknown())),
});

const input = z.object({
  EventBusName: eventBusName,
  Policy: optional(z.string()),
  StatementId: z.unknown().optional(),
  Principal: z.unknown().optional(),
  Action: z.unknown().optional(),
  Condition: z.unknown().optional(),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html */
export const putPermission = defineAction({
  input,
  run(buses, i): Record<string, never> {
    const bus = buses.resolve(i.EventBusName);
    if (i.Policy !== undefined) {
      try {
        bus.policy = JSON.parse(i.Policy) as NonNullable<Bus['policy']>;
      } catch {
        throw validationError('This policy contains invalid Json');
      }
    } else {
      // Without a Policy, the statement members are required (checked only then, as AWS does).
      const s = parseInput(statement, i);
      if (s.Action !== 'events:PutEvents') {
        throw validationError("Provided value in parameter 'action' is not supported.");
      }
      const statements = (bus.policy?.Statement ?? []).filter((x) => x['Sid'] !== s.StatementId);
      const c = s.Condition;
      statements.push({
        Sid: s.StatementId,
        Effect: 'Allow',
        Principal: s.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${s.Principal}:root` },
        Action: s.Action,
        Resource: bus.arn,
        ...(c && { Condition: { [String(c['Type'])]: { [String(c['Key'])]: c['Value'] } } }),
      });
      bus.policy = { Version: '2012-10-17', Statement: statements };
    }
    bus.lastModifiedTime = buses.now();
    return {};
  },
});
