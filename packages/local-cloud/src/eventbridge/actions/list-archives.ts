import type { ListArchivesResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { ARCHIVE_STATES } from '../archives.js';
import { oneOf, optional, str } from '../input.js';
import { paginate } from '../paging.js';
import { NAME_PATTERN, NAME_PATTERN_TEXT } from '../validate.js';
import { defineEventsAction, type Wire } from './action.js';
import { checkOneFilter } from './list-filters.js';
import { paging } from './members.js';

const input = z.object({
  NamePrefix: optional(str(1, 48, { re: NAME_PATTERN, text: NAME_PATTERN_TEXT })),
  EventSourceArn: optional(str(1, 1600)),
  State: optional(oneOf(ARCHIVE_STATES)),
  ...paging,
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListArchives.html */
export const listArchives = defineEventsAction({
  input,
  run({ archives }, i): Wire<ListArchivesResponse> {
    checkOneFilter(i, 'ListArchives');
    if (i.EventSourceArn !== undefined) archives.sourceBus(i.EventSourceArn);
    const list = archives
      .all()
      .filter((a) => i.NamePrefix === undefined || a.name.startsWith(i.NamePrefix))
      .filter((a) => i.EventSourceArn === undefined || a.eventSourceArn === i.EventSourceArn)
      .filter((a) => i.State === undefined || a.state === i.State);
    const page = paginate(list, i);
    return {
      Archives: page.items.map((archive) => archives.summary(archive)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
});
