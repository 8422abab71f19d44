import type { CreateArchiveResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { int, optional, str } from '../input.js';
import type { Archive } from '../model.js';
import { parsePattern } from '../pattern.js';
import { epochSeconds } from '../time.js';
import { alreadyExists } from '../validate.js';
import { defineEventsAction, type Wire } from './action.js';
import { archiveName, description, eventSourceArn } from './members.js';

const input = z.object({
  ArchiveName: archiveName,
  EventSourceArn: eventSourceArn,
  Description: description,
  EventPattern: optional(str(0, 4096)),
  RetentionDays: optional(int(0, Number.MAX_SAFE_INTEGER)),
  KmsKeyIdentifier: optional(str(0, 2048)),
});

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html */
export const createArchive = defineEventsAction({
  input,
  run({ archives }, i): Wire<CreateArchiveResponse> {
    if (archives.get(i.ArchiveName)) {
      throw alreadyExists(`Archive ${i.ArchiveName} already exists.`);
    }
    const archive: Archive = {
      name: i.ArchiveName,
      arn: archives.arns.archive(i.ArchiveName),
      eventSourceArn: i.EventSourceArn,
      busName: archives.sourceBus(i.EventSourceArn),
      state: 'ENABLED',
      retentionDays: i.RetentionDays ?? 0,
      creationTime: archives.now(),
      events: [],
    };
    if (i.Description !== undefined) archive.description = i.Description;
    if (i.EventPattern !== undefined) {
      archive.pattern = parsePattern(i.EventPattern);
      archive.eventPattern = i.EventPattern;
    }
    archives.add(archive);
    return {
      ArchiveArn: archive.arn,
      State: archive.state,
      CreationTime: epochSeconds(archive.creationTime),
    };
  },
});
