import type { CancelReplayResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { defineEventsAction } from './action.js';
import { replayName } from './members.js';

const input = z.object({ ReplayName: replayName });

/** Only a STARTING or RUNNING replay can be cancelled (IllegalStatusException otherwise). https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CancelReplay.html */
export const cancelReplay = defineEventsAction({
  input,
  run({ replays }, i): CancelReplayResponse {
    const replay = replays.require(i.ReplayName);
    replays.cancel(replay);
    return { ReplayArn: replay.arn, State: replay.state };
  },
});
