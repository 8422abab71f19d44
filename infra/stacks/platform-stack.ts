import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  type IHttpApi,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { EventBus, Match, type IEventBus } from 'aws-cdk-lib/aws-events';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allContracts } from '../../events/catalog.js';
import type { EventContract } from '../../events/contract.js';
import { jsonSchemaOf } from '../../events/json-schema.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { Alarms } from '../constructs/alarms.js';
import { DEFAULT_PARAMETER_PREFIX, PlatformParameters } from '../constructs/platform-parameters.js';

export interface PlatformStackProps extends StackProps {
  /** How long the archive keeps every event on the bus. @default Duration.days(30) */
  readonly archiveRetention?: Duration;
  /** The `iss` the API's JWT authorizer trusts: the identity stack's user pool. */
  readonly issuerUrl: string;
  /** The `aud` (`client_id`) it accepts: the pool's app client. */
  readonly audience: string;
  /** Where the shared values are written for the services. @default '/shop' */
  readonly parameterPrefix?: string;
  /** Removal policy of the PII key (the data it encrypts is the tables'). @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Contracts published to the schema registry. @default allContracts */
  readonly contracts?: readonly EventContract[];
  /** An address subscribed to the alarm topic. @default - none */
  readonly alarmEmail?: string;
}

/**
 * The name a contract has in the schema registry: `<source>@<detail-type>`, the
 * convention of EventBridge schema discovery, so code bindings and the console
 * find a schema by the event it describes.
 */
export function registrySchemaName(contract: EventContract): string {
  return `${contract.source}@${contract.detailType}`;
}

/**
 * What every service shares: the `shop` event bus with an archive of every
 * event, the schema registry of the contracts, the HTTP API that services
 * add their routes to and its JWT authorizer, the topic every alarm notifies,
 * and the key of field-level encryption. The services read them from SSM
 * parameters (PlatformParameters); the API's stage is in the edge stack.
 */
export class PlatformStack extends Stack {
  /** The `shop` bus. Its physical name is generated; functions get it as EVENT_BUS_NAME. */
  public readonly bus: IEventBus;
  public readonly httpApi: IHttpApi;
  /** Base URL of the API's default stage. */
  public readonly apiUrl: string;
  /** Every alarm of the app notifies this topic (KMS-encrypted; see AlarmTopic). */
  public readonly alarmTopic: ITopic;
  public readonly authorizer: HttpAuthorizer;
  /**
   * Encrypts payment tokens and shipping addresses field by field: orders
   * encrypts, payments decrypts tokens, shipping (and the order read path)
   * addresses, each under its own encryption context (see PiiField).
   */
  public readonly piiKey: Key;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);

    const bus = new EventBus(this, 'Bus', {
      description: 'shop: the one bus the services choreograph over',
    });
    bus.archive('Archive', {
      description: 'Every shop event, for replaying any window',
      eventPattern: { source: Match.prefix('shop.') },
      retention: props.archiveRetention ?? Duration.days(30),
    });
    this.bus = bus;

    const alarmTopic = new AlarmTopic(this, 'AlarmTopic', { email: props.alarmEmail });
    this.alarmTopic = alarmTopic.topic;
    // The services' stacks alarm on their own rules; this one catches any rule on the bus.
    new Alarms(this, 'Alarms', { topic: this.alarmTopic, owner: 'platform' }).bus('Bus', bus);

    const registry = new CfnRegistry(this, 'SchemaRegistry', {
      description: 'The shop event contracts (JSON Schema draft 4 of each detail), from events/',
    });
    for (const contract of props.contracts ?? allContracts) {
      new CfnSchema(this, `Schema${contract.detailType}`, {
        registryName: registry.attrRegistryName,
        schemaName: registrySchemaName(contract),
        type: 'JSONSchemaDraft4',
        description: contract.description,
        content: JSON.stringify(jsonSchemaOf(contract)),
      });
    }

    // No CORS: the API serves other programs, not browsers on other origins.
    // No default stage: the edge stack makes it, after the routes its settings name.
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'The shop: the one synchronous entry point for clients',
      createDefaultStage: false,
    });
    this.httpApi = httpApi;
    this.apiUrl = `${httpApi.apiEndpoint}/`;
    this.authorizer = new HttpAuthorizer(this, 'Authorizer', {
      httpApi,
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: props.issuerUrl,
      jwtAudience: [props.audience],
    });

    const state = new Construct(this, 'State');
    this.piiKey = new Key(state, 'PiiKey', {
      description: 'shop: field-level encryption of payment tokens and shipping addresses',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    new PlatformParameters(this, 'Parameters', {
      prefix: props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX,
      values: {
        'event-bus-name': bus.eventBusName,
        'event-bus-arn': bus.eventBusArn,
        'http-api-id': httpApi.apiId,
        'authorizer-id': this.authorizer.authorizerId,
        'alarm-topic-arn': alarmTopic.topic.topicArn,
        'pii-key-arn': this.piiKey.keyArn,
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl, description: 'Base URL of the shop API' });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: bus.eventBusArn });
    new CfnOutput(this, 'SchemaRegistryName', { value: registry.attrRegistryName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topic.topicArn,
      description: 'Every alarm notifies this topic: subscribe to it, or pass -c alarmEmail=',
    });
  }
}
