import * as z from 'zod';
import { optional } from '../input.js';
import { defineAction } from './action.js';
import { resourceArn } from './members.js';

const input = z.object({ ResourceARN: resourceArn, TagKeys: optional(z.array(z.string())) });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UntagResource.html */
export const untagResource = defineAction({
  input,
  run(buses, i): Record<string, never> {
    const tags = buses.tagsOf(buses.requireTaggable(i.ResourceARN));
    for (const key of i.TagKeys ?? []) tags?.delete(key);
    return {};
  },
});
