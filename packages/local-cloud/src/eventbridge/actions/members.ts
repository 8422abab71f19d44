/** Members several actions share, with the service model's constraints. */
import * as z from 'zod';
import { int, optional, required, str } from '../input.js';
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
/** The List* actions' paging members, as the service model bounds them. */
export const paging = { Limit: optional(int(1, 100)), NextToken: optional(str(1, 2048)) };
export const archiveName = required(str(1, 48, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT }));
export const replayName = required(str(1, 64, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT }));
export const eventSourceArn = required(str(1, 1600));
export const tags = optional(z.array(z.unknown()));
