import type { UpdateArchiveResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { int, optional, str } from '../input.js';
import { parsePattern } from '../pattern.js';
import { epochSeconds } from '../time.js';
import { validationError } from '../validate.js';
import { defineEventsAction, type Wire } from './action.js';
import { archiveName, description } from './members.js';

const input = z.object({
  ArchiveName: archiveName,
  Description: description,
  EventPattern: optional(str(0, 4096)),
  RetentionDays: optional(int(0, Number.MAX_SAFE_INTEGER)),
  KmsKeyIdentifier: optional(str(0, 2048)),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UpdateArchive.html */
export const updateArchive = defineEventsAction({
  input,
  run({ archives }, i): Wire<UpdateArchiveResponse> {
    // AWS checks this before it looks the archive up.
    if (
      i.Description === undefined &&
      i.RetentionDays === undefined &&
      i.EventPattern === undefined
    ) {
      throw validationError(
        'At least one of EventPattern, RetentionDays or Description must be provided.',
      );
    }
    const archive = archives.require(i.ArchiveName);
    if (i.EventPattern !== undefined) {
      archive.pattern = parsePattern(i.EventPattern);
      archive.eventPattern = i.EventPattern;
    }
    if (i.Description !== undefined) archive.description = i.Description;
    if (i.RetentionDays !== undefined) archive.retentionDays = i.RetentionDays;
    return {
      ArchiveArn: archive.arn,
      State: archive.state,
      CreationTime: epochSeconds(archive.creationTime),
    };
  },
});
