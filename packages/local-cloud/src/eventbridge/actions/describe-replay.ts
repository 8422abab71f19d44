import type { DescribeReplayResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { times } from '../replays.js';
import { defineEventsAction, type Wire } from './action.js';
import { replayName } from './members.js';

const input = z.object({ ReplayName: replayName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeReplay.html */
export const describeReplay = defineEventsAction({
  input,
  run({ replays }, i): Wire<DescribeReplayResponse> {
    const replay = replays.require(i.ReplayName);
    return {
      ReplayName: replay.name,
      ReplayArn: replay.arn,
      ...(replay.description !== undefined && { Description: replay.description }),
      State: replay.state,
      ...(replay.stateReason !== undefined && { StateReason: replay.stateReason }),
      EventSourceArn: replay.eventSourceArn,
      Destination: replay.destination,
      ...times(replay),
    };
  },
});
