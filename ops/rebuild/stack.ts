import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsTarget } from '../shared/aws.js';
import { CliError } from '../shared/cli.js';
import { stackNameOf } from '../shared/eventbridge.js';

/** What a rebuild needs of the views stack, from its outputs (the same call on AWS and the local edge). */
export interface ViewsStackRef {
  readonly stackName: string;
  readonly tableName: string;
  readonly rebuildRuleArn: string;
  readonly rebuildQueueUrl: string;
  readonly rebuildDeadLetterQueueUrl: string;
}

const OUTPUTS = {
  tableName: 'TableName',
  rebuildRuleArn: 'RebuildRuleArn',
  rebuildQueueUrl: 'RebuildQueueUrl',
  rebuildDeadLetterQueueUrl: 'RebuildDeadLetterQueueUrl',
} as const;

export async function findViewsStack(target: AwsTarget, prefix: string): Promise<ViewsStackRef> {
  const stackName = stackNameOf('views', prefix);
  let outputs: Record<string, string | undefined>;
  try {
    const { Stacks } = await target.cloudFormation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    outputs = Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue]),
    );
  } catch (err) {
    if (/does not exist/i.test((err as Error).message)) {
      throw new CliError(
        `Stack ${stackName} is not deployed on ${target.describe()}: deploy the app (npx cdk deploy --all, ` +
          `or npm start locally), or pass --stack-prefix if your stacks are named otherwise.`,
      );
    }
    throw err;
  }
  const missing = Object.values(OUTPUTS).filter((key) => !outputs[key]);
  if (missing.length) {
    throw new CliError(
      `Stack ${stackName} has no ${missing.join(', ')} output${missing.length > 1 ? 's' : ''}: ` +
        `it predates the rebuild subscription; deploy the current app first.`,
    );
  }
  return {
    stackName,
    tableName: outputs[OUTPUTS.tableName]!,
    rebuildRuleArn: outputs[OUTPUTS.rebuildRuleArn]!,
    rebuildQueueUrl: outputs[OUTPUTS.rebuildQueueUrl]!,
    rebuildDeadLetterQueueUrl: outputs[OUTPUTS.rebuildDeadLetterQueueUrl]!,
  };
}
