/**
 * The resource types the local cloud creates, as a table keyed by type:
 * add a type by adding a handler here. Types listed in SKIPPED_TYPES are
 * accepted and not created, on purpose; any other type stops the load with
 * a message naming it.
 */
import { api, authorizer, integration, route, stage } from './apigateway.js';
import { userPool, userPoolClient, userPoolGroup } from './cognito.js';
import { iamManagedPolicy, iamPolicy, iamRole } from './iam.js';
import { kmsAlias, kmsKey } from './kms.js';
import { globalTable, table } from './dynamodb.js';
import { archive, eventBus, rule } from './events.js';
import { eventSourceMapping, lambdaAlias, lambdaFunction, lambdaVersion } from './lambda.js';
import { bucket } from './s3.js';
import { schedule, scheduleGroup } from './scheduler.js';
import { secret } from './secretsmanager.js';
import { ssmParameter } from './ssm.js';
import { queue } from './sqs.js';
import type { CreatedResource, ResourceContext, ResourceHandler } from './types.js';

export const HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': globalTable,
  'AWS::SQS::Queue': queue,
  'AWS::Events::EventBus': eventBus,
  'AWS::Events::Rule': rule,
  'AWS::Events::Archive': archive,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': lambdaVersion,
  'AWS::Lambda::Alias': lambdaAlias,
  'AWS::Lambda::EventSourceMapping': eventSourceMapping,
  'AWS::ApiGatewayV2::Api': api,
  'AWS::ApiGatewayV2::Integration': integration,
  'AWS::ApiGatewayV2::Route': route,
  'AWS::ApiGatewayV2::Stage': stage,
  'AWS::ApiGatewayV2::Authorizer': authorizer,
  'AWS::Cognito::UserPool': userPool,
  'AWS::Cognito::UserPoolClient': userPoolClient,
  'AWS::Cognito::UserPoolGroup': userPoolGroup,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::Alias': kmsAlias,
  'AWS::IAM::Role': iamRole,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::ManagedPolicy': iamManagedPolicy,
  'AWS::SecretsManager::Secret': secret,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::Scheduler::ScheduleGroup': scheduleGroup,
  'AWS::Scheduler::Schedule': schedule,
  'AWS::S3::Bucket': bucket,
};

/** Accepted and not created, with the reason (also listed in the package README). */
export const SKIPPED_TYPES: Readonly<Record<string, string>> = {
  'AWS::Lambda::Permission': 'no IAM locally: every caller may invoke',
  'AWS::Lambda::EventInvokeConfig': 'asynchronous invocations use the local retry settings',
  'AWS::SQS::QueuePolicy': 'no IAM locally: every principal may send',
  'AWS::S3::BucketPolicy':
    'buckets are private to signed callers; policies (aws:SecureTransport over loopback http) are not enforced',
  'AWS::Events::EventBusPolicy': 'no IAM locally: every principal may put events',
  'AWS::Logs::LogGroup': 'function logs go to the console',
  'Custom::LogRetention': 'function logs go to the console',
  'AWS::CDK::Metadata': 'CDK usage metadata only',
  'AWS::EventSchemas::Registry': 'schemas live in events/ and are checked by the code',
  'AWS::EventSchemas::Schema': 'schemas live in events/ and are checked by the code',
  'AWS::CloudWatch::Alarm': 'no metrics or alarms locally',
  'AWS::CloudWatch::CompositeAlarm': 'no metrics or alarms locally',
  'AWS::CloudWatch::Dashboard': 'no metrics or alarms locally',
  'AWS::SNS::Topic': 'no SNS locally (alarm notifications only)',
  'AWS::SNS::Subscription': 'no SNS locally (alarm notifications only)',
  'AWS::SNS::TopicPolicy': 'no SNS locally (alarm notifications only)',
  'AWS::ApiGatewayV2::Deployment': 'routes are live as soon as they are loaded',
};

/** Skipped resources still answer `Ref` and `Fn::GetAtt` so the rest of the template resolves. */
const skipped: ResourceHandler = async (ctx: ResourceContext): Promise<CreatedResource> => {
  const { region, accountId } = ctx.env;
  const name = ctx.generateName();
  switch (ctx.type) {
    case 'AWS::SNS::Topic': {
      const n = (ctx.properties['TopicName'] as string | undefined) ?? name;
      const arn = `arn:aws:sns:${region}:${accountId}:${n}`;
      return { physicalId: arn, attributes: { TopicArn: arn, TopicName: n } };
    }
    case 'AWS::Logs::LogGroup': {
      const n = (ctx.properties['LogGroupName'] as string | undefined) ?? name;
      return {
        physicalId: n,
        attributes: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${n}:*` },
      };
    }
    default:
      return {
        physicalId: name,
        attributes: { Arn: `arn:aws:local:${region}:${accountId}:${name}` },
      };
  }
};

export type Lookup =
  | { kind: 'create'; handler: ResourceHandler }
  | { kind: 'skip'; handler: ResourceHandler; reason: string };

export function handlerFor(type: string, where: string): Lookup {
  const handler = HANDLERS[type];
  if (handler) return { kind: 'create', handler };
  const reason = SKIPPED_TYPES[type];
  if (reason !== undefined) return { kind: 'skip', handler: skipped, reason };
  throw new Error(
    `${where}: resource type ${type} is not supported by the local cloud. ` +
      `Created: ${Object.keys(HANDLERS).join(', ')}. Skipped on purpose: ${Object.keys(SKIPPED_TYPES).join(', ')}. ` +
      'Add a handler in local/app/resources/index.ts, or leave the resource out of the app.',
  );
}
