import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { cancellationReason } from '../../events/common.js';
import {
  DEFAULT_PARAMETER_PREFIX,
  platformParameterName,
} from '../constructs/platform-parameters.js';
import { SagaDashboard, type WatchedService } from '../constructs/saga-dashboard.js';

export interface DashboardStackProps extends StackProps {
  /** Where the platform's parameters are (the bus is read from them). @default '/shop' */
  readonly parameterPrefix?: string;
  /** The service stacks (or anything with their subscriptions and publishers). */
  readonly services: readonly WatchedService[];
}

/**
 * The saga's dashboard, in a stack of its own: it graphs every service's
 * queues and functions, so it depends on every service stack and no service
 * stack depends on it. It holds nothing else, so when a service deploy is
 * refused because it would change a value this stack imports (a queue or
 * function replaced), delete this stack, deploy the service, and deploy this
 * one again.
 */
export class DashboardStack extends Stack {
  public readonly dashboard: SagaDashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    this.dashboard = new SagaDashboard(this, 'Saga', {
      bus: EventBus.fromEventBusArn(
        this,
        'Bus',
        StringParameter.valueForStringParameter(
          this,
          platformParameterName(props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX, 'event-bus-arn'),
        ),
      ),
      services: props.services,
      cancellationReasons: cancellationReason.options,
    });
    const name = this.dashboard.dashboard.dashboardName;
    new CfnOutput(this, 'DashboardName', { value: name });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${name}`,
      description: 'The saga dashboard in the CloudWatch console',
    });
  }
}
