import type { DescribeEventBusResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { optional } from '../input.js';
import { defineAction, type Wire } from './action.js';

const input = z.object({ Name: optional(z.string()) });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeEventBus.html */
export const describeEventBus = defineAction({
  input,
  run(buses, i): Wire<DescribeEventBusResponse> {
    return buses.busView(buses.resolve(i.Name));
  },
});
