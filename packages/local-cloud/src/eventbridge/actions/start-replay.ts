import type { StartReplayResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { optional, required, str } from '../input.js';
import { busNameOf, isBusArn, type Replay } from '../model.js';
import { epochSeconds, parseTimestamp } from '../time.js';
import { alreadyExists, notFound, validationError } from '../validate.js';
import { defineEventsAction, type Wire } from './action.js';
import { description, eventSourceArn, replayName } from './members.js';

const timestamp = required(z.custom<number | string>((v) => v !== undefined));

const input = z.object({
  ReplayName: replayName,
  Description: description,
  EventSourceArn: eventSourceArn,
  EventStartTime: timestamp,
  EventEndTime: timestamp,
  Destination: required(
    z.object({ Arn: required(str(1, 1600)), FilterArns: optional(z.array(z.string())) }),
  ),
});

/**
 * The archive must exist, the window must be in the past with its start
 * before its end, and the destination must be the archive's own bus.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_StartReplay.html
 */
export const startReplay = defineEventsAction({
  input,
  run({ archives, replays }, i): Wire<StartReplayResponse> {
    const start = parseTimestamp(i.EventStartTime, 'EventStartTime');
    const end = parseTimestamp(i.EventEndTime, 'EventEndTime');
    if (replays.get(i.ReplayName)) throw alreadyExists(`Replay ${i.ReplayName} already exists.`);
    if (end <= start) {
      throw validationError(
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    }
    // No public recording gives AWS's reason text for this one; it is written in AWS's form.
    if (end > replays.now()) {
      throw validationError(
        'Parameter EventEndTime is not valid. Reason: EventEndTime cannot be in the future.',
      );
    }
    const archive = archives.byArn(i.EventSourceArn);
    if (!archive) {
      throw validationError(
        `Parameter EventSourceArn is not valid. Reason: Archive ${i.EventSourceArn.split('/').pop()} does not exist.`,
      );
    }
    const destination = i.Destination.Arn;
    if (!isBusArn(destination)) {
      throw validationError(
        `Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN (received '${destination}').`,
      );
    }
    const busName = busNameOf(destination);
    if (!replays.busExists(busName) || replays.arns.bus(busName) !== destination) {
      throw notFound(`Event bus ${busName} does not exist.`);
    }
    if (destination !== archive.eventSourceArn) {
      throw validationError(
        'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
      );
    }
    const filterArns = i.Destination.FilterArns;
    const replay: Replay = {
      name: i.ReplayName,
      arn: replays.arns.replay(i.ReplayName),
      eventSourceArn: i.EventSourceArn,
      destination: { Arn: destination, ...(filterArns && { FilterArns: [...filterArns] }) },
      eventStartTime: start,
      eventEndTime: end,
      state: 'STARTING',
      replayStartTime: replays.now(),
    };
    if (i.Description !== undefined) replay.description = i.Description;
    replays.start(replay);
    return {
      ReplayArn: replay.arn,
      State: replay.state,
      ReplayStartTime: epochSeconds(replay.replayStartTime),
    };
  },
});
