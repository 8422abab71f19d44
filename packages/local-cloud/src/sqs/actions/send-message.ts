import type { SendMessageResult } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { queueUrl } from '../input.js';
import { parseContent, type SendContext } from '../message.js';
import { defineAction, type SqsRequest } from './action.js';
import { sendResult } from './output.js';

// The message's own parameters (body, attributes, delay, group, deduplication) are checked
// by parseContent, in the order SQS checks them, for SendMessage and batch entries alike.
const input = z.looseObject(queueUrl);

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
export const sendMessage = defineAction({
  input,
  run(host, i, request): SendMessageResult {
    const q = host.queueByUrl(i.QueueUrl);
    const content = parseContent(i, q.config.MaximumMessageSize, sendContext(request), q.fifo);
    return sendResult(q.send(content), content);
  },
});

/** SQS takes AWSTraceHeader from the request's X-Amzn-Trace-Id when no system attribute sets it. */
function sendContext(r: SqsRequest): SendContext {
  const h = r.headers?.['x-amzn-trace-id'];
  const trace = Array.isArray(h) ? h[0] : h;
  return trace ? { traceHeader: trace } : {};
}
