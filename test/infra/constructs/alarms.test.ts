/**
 * The Alarms, AlarmTopic and SagaDashboard constructs on their own, in a test
 * stack (bundling skipped: these tests read templates only).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { OrderPlaced } from '../../../events/index.js';
import {
  Alarms,
  AlarmTopic,
  SagaDashboard,
  ServiceFunction,
  Subscription,
} from '../../../infra/constructs/index.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/handler.ts');

function stack(): Stack {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  return new Stack(app, 'Test');
}

describe('Alarms', () => {
  it('takes other thresholds for dead-letter age and publisher lag', () => {
    const s = stack();
    const alarms = new Alarms(s, 'Alarms', {
      topic: new Topic(s, 'Topic'),
      owner: 'x',
      deadLetterMaxAge: Duration.hours(1),
    });
    const bus = new EventBus(s, 'Bus');
    const consumer = new ServiceFunction(s, 'Consumer', { service: 'x', entry });
    alarms.watchSubscription(
      new Subscription(s, 'Sub', { bus, consumer, consumes: [OrderPlaced] }),
    );
    expect(alarms.alarms).toHaveLength(6);
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3600,
    });
  });

  it('watches a plain Function without adding a log-retention resource for its logs', () => {
    const s = stack();
    const alarms = new Alarms(s, 'Alarms', { topic: new Topic(s, 'Topic'), owner: 'x' });
    const fn = new LambdaFunction(s, 'Fn', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
    });
    alarms.consumer('Fn', fn);
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    t.resourceCountIs('Custom::LogRetention', 0);
  });
});

describe('AlarmTopic', () => {
  it('subscribes the email it is given', () => {
    const s = stack();
    new AlarmTopic(s, 'Alarms', { email: 'oncall@example.com' });
    Template.fromStack(s).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });
});

describe('SagaDashboard', () => {
  it('refuses to add up no cancellation reasons', () => {
    const s = stack();
    expect(
      () =>
        new SagaDashboard(s, 'Saga', {
          bus: new EventBus(s, 'Bus'),
          services: [],
          cancellationReasons: [],
        }),
    ).toThrow(/nothing to add up/);
  });
});
