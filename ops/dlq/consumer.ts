import {
  GetFunctionConfigurationCommand,
  ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import type { AwsTarget } from '../shared/aws.js';

export interface Consumer {
  readonly functionName: string;
  readonly logGroup: string;
}

/**
 * The functions that drain `sourceQueueArns` (their event-source mappings)
 * and the log groups their errors are in. Undefined when Lambda cannot be
 * asked (the local cloud has no event-source-mapping API; an identity may
 * lack lambda:ListEventSourceMappings): callers then say where else to look.
 */
export async function findConsumers(
  target: AwsTarget,
  sourceQueueArns: readonly string[],
): Promise<Consumer[] | undefined> {
  try {
    const consumers: Consumer[] = [];
    for (const arn of sourceQueueArns) {
      let marker: string | undefined;
      do {
        const page = await target.lambda.send(
          new ListEventSourceMappingsCommand({ EventSourceArn: arn, Marker: marker }),
        );
        for (const mapping of page.EventSourceMappings ?? []) {
          if (!mapping.FunctionArn) continue;
          const config = await target.lambda.send(
            new GetFunctionConfigurationCommand({ FunctionName: mapping.FunctionArn }),
          );
          const name = config.FunctionName ?? mapping.FunctionArn.split(':')[6] ?? '?';
          consumers.push({
            functionName: name,
            logGroup: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
          });
        }
        marker = page.NextMarker;
      } while (marker);
    }
    return consumers;
  } catch {
    return undefined;
  }
}

/** Where to read why `ids` failed, as commands an operator can paste. */
export function whereToLook(
  target: AwsTarget,
  consumers: readonly Consumer[] | undefined,
  ids: { eventId?: string; messageId: string },
): string[] {
  const needle = ids.eventId ?? ids.messageId;
  if (target.local) {
    return [
      "The local cloud prints every function's log lines on its own console (npm start / npm run cloud),",
      `labelled with the function; search it for ${needle}.`,
    ];
  }
  if (!consumers?.length) {
    return [
      "The consumer's error is in its CloudWatch log group (/aws/lambda/<consumer function>); it could not",
      'be found here (needs lambda:ListEventSourceMappings and lambda:GetFunctionConfiguration). Search it:',
      `  aws logs filter-log-events --log-group-name /aws/lambda/<function> --filter-pattern '"${needle}"'`,
    ];
  }
  return consumers.flatMap((c) => [
    `Consumer ${c.functionName}, logs in ${c.logGroup}:`,
    `  aws logs filter-log-events --log-group-name ${c.logGroup} --filter-pattern '"${needle}"'`,
  ]);
}
