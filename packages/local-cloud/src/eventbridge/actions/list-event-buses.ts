import type { ListEventBusesResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { optional } from '../input.js';
import { paginate } from '../paging.js';
import { defineAction, type Wire } from './action.js';
import { paging } from './members.js';

const input = z.looseObject({ NamePrefix: optional(z.string()), ...paging });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListEventBuses.html */
export const listEventBuses = defineAction({
  input,
  run(buses, i): Wire<ListEventBusesResponse> {
    const list = buses
      .all()
      .filter((bus) => i.NamePrefix === undefined || bus.name.startsWith(i.NamePrefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(list, i);
    return {
      EventBuses: page.items.map((bus) => buses.busView(bus)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
