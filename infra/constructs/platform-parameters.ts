import { Stack } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * What the platform shares with the service stacks, each value one SSM
 * parameter at `<prefix>/platform/<key>`. Services read them as CloudFormation
 * parameters of type `AWS::SSM::Parameter::Value<String>` instead of
 * Fn::ImportValue, so replacing the bus, the API or the topic is an ordinary
 * update of the platform followed by one of the services, not a refused one.
 * See docs/adr/0013-platform-references-through-ssm.md.
 */
export const PLATFORM_KEYS = [
  'event-bus-name',
  'event-bus-arn',
  'http-api-id',
  'authorizer-id',
  'alarm-topic-arn',
  'pii-key-arn',
] as const;
export type PlatformKey = (typeof PLATFORM_KEYS)[number];

/** `/shop` unless the app sets `-c parameterPrefix=/other-shop` (two shops in one account and region). */
export const DEFAULT_PARAMETER_PREFIX = '/shop';

export function platformParameterName(prefix: string, key: PlatformKey): string {
  return `${prefix}/platform/${key}`;
}

export interface PlatformParametersProps {
  /** Where the parameters live: `<prefix>/platform/<key>`. */
  readonly prefix: string;
  /** The value of every key. */
  readonly values: Readonly<Record<PlatformKey, string>>;
}

/** The platform's side: writes one String parameter per shared value. */
export class PlatformParameters extends Construct {
  constructor(scope: Construct, id: string, props: PlatformParametersProps) {
    super(scope, id);
    for (const key of PLATFORM_KEYS) {
      new StringParameter(this, key, {
        parameterName: platformParameterName(props.prefix, key),
        stringValue: props.values[key],
        description: `shop platform: ${key}, read by the service stacks at deploy time`,
      });
    }
  }
}

/** What a service stack gets from the platform, read from the parameters at deploy time. */
export interface PlatformReferences {
  readonly bus: IEventBus;
  readonly httpApi: IHttpApi;
  /** The API's JWT authorizer (the identity stack's user pool). */
  readonly authorizer: IHttpRouteAuthorizer;
  readonly alarmTopic: ITopic;
  /** The key of field-level encryption (payment tokens, shipping addresses). */
  readonly piiKey: IKey;
}

/**
 * The consumer's side: the platform's resources as imported constructs of
 * `scope`'s stack. Each is read (a template parameter added) on first use
 * only, so a stack has a parameter for what it uses and nothing else.
 */
export function readPlatformReferences(scope: Construct, prefix: string): PlatformReferences {
  const stack = Stack.of(scope);
  const value = (key: PlatformKey) =>
    StringParameter.valueForStringParameter(stack, platformParameterName(prefix, key));
  const refs = new Construct(scope, 'Platform');
  const once = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const bus = once(() =>
    // One parameter: the name is the ARN's last part, split out by CloudFormation.
    EventBus.fromEventBusArn(refs, 'Bus', value('event-bus-arn')),
  );
  const httpApi = once(() =>
    HttpApi.fromHttpApiAttributes(refs, 'HttpApi', { httpApiId: value('http-api-id') }),
  );
  const authorizer = once(() =>
    HttpAuthorizer.fromHttpAuthorizerAttributes(refs, 'Authorizer', {
      authorizerId: value('authorizer-id'),
      authorizerType: HttpAuthorizerType.JWT,
    }),
  );
  const alarmTopic = once(() => Topic.fromTopicArn(refs, 'AlarmTopic', value('alarm-topic-arn')));
  const piiKey = once(() => Key.fromKeyArn(refs, 'PiiKey', value('pii-key-arn')));
  return {
    get bus() {
      return bus();
    },
    get httpApi() {
      return httpApi();
    },
    get authorizer() {
      return authorizer();
    },
    get alarmTopic() {
      return alarmTopic();
    },
    get piiKey() {
      return piiKey();
    },
  };
}
