import type { ListReplaysResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { oneOf, optional, str } from '../input.js';
import { REPLAY_STATES, type ReplayState } from '../model.js';
import { paginate } from '../paging.js';
import { times } from '../replays.js';
import { NAME_PATTERN, NAME_PATTERN_TEXT } from '../validate.js';
import { defineEventsAction, type Wire } from './action.js';
import { checkOneFilter } from './list-filters.js';
import { paging } from './members.js';

const input = z.object({
  NamePrefix: optional(str(1, 64, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT })),
  State: optional(oneOf(REPLAY_STATES as unknown as [ReplayState, ...ReplayState[]])),
  EventSourceArn: optional(str(1, 1600)),
  ...paging,
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListReplays.html */
export const listReplays = defineEventsAction({
  input,
  run({ replays }, i): Wire<ListReplaysResponse> {
    checkOneFilter(i, 'ListReplays');
    const list = replays
      .all()
      .filter((r) => i.NamePrefix === undefined || r.name.startsWith(i.NamePrefix))
      .filter((r) => i.EventSourceArn === undefined || r.eventSourceArn === i.EventSourceArn)
      .filter((r) => i.State === undefined || r.state === i.State);
    const page = paginate(list, i);
    return {
      Replays: page.items.map((replay) => ({
        ReplayName: replay.name,
        EventSourceArn: replay.eventSourceArn,
        State: replay.state,
        ...(replay.stateReason !== undefined && { StateReason: replay.stateReason }),
        ...times(replay),
      })),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
