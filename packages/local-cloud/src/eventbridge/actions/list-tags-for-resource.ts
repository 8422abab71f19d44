import type { ListTagsForResourceResponse } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { defineAction } from './action.js';
import { resourceArn } from './members.js';

const input = z.object({ ResourceARN: resourceArn });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTagsForResource.html */
export const listTagsForResource = defineAction({
  input,
  run(buses, i): ListTagsForResourceResponse {
    const tags = buses.tagsOf(buses.requireTaggable(i.ResourceARN)) ?? new Map<string, string>();
    return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
  },
});
