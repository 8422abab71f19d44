/** Members several actions share, with the service model's constraints. */
import { z } from 'zod';
import { optional, required, str } from '../input.js';
import {
  BUS_NAME_PATTERN,
  BUS_NAME_PATTERN_TEXT,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
} from '../validate.js';

export const ruleName = required(str(1, 64, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT }));
export const busName = required(str(1, 256, { re: BUS_NAME_PATTERN, text: BUS_NAME_PATTERN_TEXT }));
/** `EventBusName` where a rule lives: a name or an ARN, the default bus when absent. */
export const eventBusName = optional(z.string());
export const description = optional(str(0, 512));
export const resourceArn = required(str(1, 1600));
/** Paging members are checked by `paginate`. */
export const paging = { Limit: z.unknown().optional(), NextToken: z.unknown().optional() };
export const tags = optional(z.array(z.unknown()));
