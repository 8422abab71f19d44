import type { CreateEventBusResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { optional } from '../input.js';
import { alreadyExists, validationError } from '../validate.js';
import { defineAction } from './action.js';
import { busName, description, tags } from './members.js';

const input = z.object({
  Name: busName,
  EventSourceName: optional(z.string()),
  Description: description,
  Tags: tags,
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html */
export const createEventBus = defineAction({
  input,
  run(buses, i): CreateEventBusResponse {
    const name = i.Name;
    if (buses.has(name)) throw alreadyExists(`Event bus ${name} already exists.`);
    if (name.includes('/') && i.EventSourceName === undefined) {
      throw validationError(
        `Event bus name must not contain '/'. (local cloud: received '${name}'; only partner event buses use it.)`,
      );
    }
    const bus = buses.add(name);
    if (i.Description !== undefined) bus.description = i.Description;
    buses.setTags(bus.arn, i.Tags);
    return {
      EventBusArn: bus.arn,
      ...(i.Description !== undefined && { Description: i.Description }),
    };
  },
});
