import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** An address to subscribe (it must confirm the subscription). @default - none */
  readonly email?: string;
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * The one SNS topic every alarm of the app notifies, encrypted with a key of
 * its own.
 *
 * Why a customer managed key: CloudWatch can publish to an encrypted topic only
 * if the key's policy lets cloudwatch.amazonaws.com use it, and the policy of
 * the AWS managed key (alias/aws/sns) cannot be changed, so alarms sent to a
 * topic under that key are silently dropped. The key encrypts nothing else, so
 * the grant to CloudWatch reaches no other data; the topic's own policy is
 * what limits publishing to this account's alarms.
 */
export class AlarmTopic extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      description: 'shop: encrypts the alarm notification topic',
      enableKeyRotation: true,
      // Notifications are transient: nothing needs the key once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptNotifications',
        principals: [new ServicePrincipal(CLOUDWATCH)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, `*` is this key.
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal(CLOUDWATCH)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
