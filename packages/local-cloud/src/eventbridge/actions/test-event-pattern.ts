import type { TestEventPatternResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { required, str } from '../input.js';
import { matchPattern, parsePattern } from '../pattern.js';
import { validationError } from '../validate.js';
import { defineEventsAction } from './action.js';

/** The fields AWS requires of the test event, beyond `detail`. */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

const input = z.object({ EventPattern: required(str(0, 4096)), Event: required(z.string()) });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html */
export const testEventPattern = defineEventsAction({
  input,
  run(_host, i): TestEventPatternResponse {
    let event: unknown;
    try {
      event = JSON.parse(i.Event);
    } catch {
      throw validationError('Parameter Event is not valid.');
    }
    const fields =
      typeof event === 'object' && event !== null && !Array.isArray(event) ? event : undefined;
    if (!fields || REQUIRED_EVENT_FIELDS.some((field) => !(field in fields))) {
      throw validationError('Parameter Event is not valid.');
    }
    return { Result: matchPattern(parsePattern(i.EventPattern), event) };
  },
});
