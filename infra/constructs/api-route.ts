import {
  HttpRoute,
  HttpRouteKey,
  type HttpMethod,
  type IHttpApi,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ApiRouteProps {
  /** The shared HTTP API (owned by the platform stack). */
  readonly httpApi: IHttpApi;
  readonly method: HttpMethod;
  /** Path with `{param}` placeholders, e.g. `/orders/{orderId}`. */
  readonly path: string;
  /** The function answering the route (payload format 2.0). */
  readonly handler: IFunction;
}

/**
 * One route a service contributes to the shared HTTP API. The route and its
 * integration live in the service's stack, so each service deploys its own
 * routes; the API's auto-deploying default stage picks them up. The invoke
 * permission is scoped to this route's path.
 */
export class ApiRoute extends Construct {
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: ApiRouteProps) {
    super(scope, id);
    this.route = new HttpRoute(this, 'Route', {
      httpApi: props.httpApi,
      routeKey: HttpRouteKey.with(props.path, props.method),
      integration: new HttpLambdaIntegration('Integration', props.handler),
    });
  }
}
