import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  DEFAULT_PARAMETER_PREFIX,
  platformParameterName,
} from '../constructs/platform-parameters.js';

/** Steady requests per second and burst a stage or a route accepts. */
export interface ThrottleLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface EdgeStackProps extends StackProps {
  /** Where the platform's parameters are. @default '/shop' */
  readonly parameterPrefix?: string;
  /** Every route not named in `routeThrottles`. */
  readonly defaultThrottle: ThrottleLimits;
  /** Tighter limits by route key (`POST /orders`); each route must exist in a service stack. */
  readonly routeThrottles: Readonly<Record<string, ThrottleLimits>>;
  /** How long the access log keeps requests. @default RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The access log line: who (the token's `sub`, the caller's address and
 * agent), what (route, status) and how fast. Never a token, a body or a
 * shipping address: the log is read far more widely than the tables.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  sub: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
};

/**
 * The HTTP API's `$default` stage: throttling for every route and tighter for
 * some, and JSON access logs. In a stack of its own that deploys after the
 * service stacks, because API Gateway refuses route settings for a route key
 * that does not exist yet.
 */
export class EdgeStack extends Stack {
  public readonly stage: HttpStage;
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const prefix = props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX;
    const httpApi = HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: StringParameter.valueForStringParameter(
        this,
        platformParameterName(prefix, 'http-api-id'),
      ),
    });

    // Access logs say who called what: an audit trail, kept longer than function logs.
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.defaultThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // RouteSettings is a JSON map in the CloudFormation schema: CDK passes it through, so PascalCase.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(props.routeThrottles).map(([routeKey, limits]) => [
        routeKey,
        { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
      ]),
    );

    new CfnOutput(this, 'AccessLogGroupName', { value: this.accessLogs.logGroupName });
  }
}
