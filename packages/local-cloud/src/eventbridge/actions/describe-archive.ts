import type { DescribeArchiveResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { defineEventsAction, type Wire } from './action.js';
import { archiveName } from './members.js';

const input = z.object({ ArchiveName: archiveName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeArchive.html */
export const describeArchive = defineEventsAction({
  input,
  run({ archives }, i): Wire<DescribeArchiveResponse> {
    const archive = archives.require(i.ArchiveName);
    const { ArchiveName, EventSourceArn, ...rest } = archives.summary(archive);
    return {
      ArchiveArn: archive.arn,
      ArchiveName,
      EventSourceArn,
      ...(archive.description !== undefined && { Description: archive.description }),
      ...(archive.eventPattern !== undefined && { EventPattern: archive.eventPattern }),
      ...rest,
    };
  },
});
