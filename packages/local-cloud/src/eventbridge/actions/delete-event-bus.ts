import * as z from 'zod';
import { required, str } from '../input.js';
import { validationError } from '../validate.js';
import { defineAction } from './action.js';

const input = z.object({ Name: required(str(1, 256)) });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteEventBus.html */
export const deleteEventBus = defineAction({
  input,
  run(buses, i): Record<string, never> {
    if (i.Name === 'default') throw validationError('Cannot delete event bus default.');
    const bus = buses.get(i.Name);
    if (bus) {
      // Deleting is idempotent in AWS; the bus's rules go with it.
      for (const rule of bus.rules.values()) buses.dropTags(rule.arn);
      buses.dropTags(bus.arn);
      buses.delete(bus.name);
    }
    return {};
  },
});
