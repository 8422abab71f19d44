import * as z from 'zod';
import { required } from '../input.js';
import { defineAction } from './action.js';
import { resourceArn } from './members.js';

const input = z.object({ ResourceARN: resourceArn, Tags: required(z.array(z.unknown())) });

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html */
export const tagResource = defineAction({
  input,
  run(buses, i): Record<string, never> {
    buses.setTags(buses.requireTaggable(i.ResourceARN), i.Tags);
    return {};
  },
});
