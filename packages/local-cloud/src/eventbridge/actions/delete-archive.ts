import type { DeleteArchiveResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { defineEventsAction } from './action.js';
import { archiveName } from './members.js';

const input = z.object({ ArchiveName: archiveName });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteArchive.html */
export const deleteArchive = defineEventsAction({
  input,
  run({ archives }, i): DeleteArchiveResponse {
    archives.remove(archives.require(i.ArchiveName).name);
    return {};
  },
});
