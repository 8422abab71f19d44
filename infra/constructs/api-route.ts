import { Validations } from 'aws-cdk-lib';
import {
  HttpRoute,
  HttpRouteKey,
  HttpNoneAuthorizer,
  type HttpMethod,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * Who may call a route:
 * - `public`: anyone, no token (catalog reads; the carrier webhook, which
 *   checks its own HMAC signature);
 * - `customer`: any signed-in user of the shop's user pool (a valid JWT);
 * - `operator`: a signed-in user the handler finds in the `operators` group.
 *   API Gateway's JWT authorizer checks the token and scopes, not groups, so
 *   the gateway lets any valid token through and the handler answers 403 to
 *   non-operators (docs/adr/0012-identity-and-authorization.md).
 */
export type RouteAuthorization = 'public' | 'customer' | 'operator';

export interface ApiRouteProps {
  /** The shared HTTP API (owned by the platform stack). */
  readonly httpApi: IHttpApi;
  readonly method: HttpMethod;
  /** Path with `{param}` placeholders, e.g. `/orders/{orderId}`. */
  readonly path: string;
  /** The function answering the route (payload format 2.0). */
  readonly handler: IFunction;
  /** Who may call it. */
  readonly authorization: RouteAuthorization;
  /** The API's JWT authorizer; required unless `authorization` is `public`. */
  readonly authorizer?: IHttpRouteAuthorizer;
  /**
   * Why anyone may call the route, one sentence; required when `authorization`
   * is `public` (it is the reason on the route's cdk-nag APIG4 acknowledgement).
   * @default - none (routes that need a token)
   */
  readonly publicReason?: string;
}

/**
 * One route a service contributes to the shared HTTP API. The route and its
 * integration live in the service's stack, so each service deploys its own
 * routes; the API's auto-deploying default stage picks them up. The invoke
 * permission is scoped to this route's path.
 */
export class ApiRoute extends Construct {
  public readonly route: HttpRoute;
  /** `METHOD /path`, the route key (as in the stage's route settings and access logs). */
  public readonly routeKey: string;
  public readonly authorization: RouteAuthorization;

  constructor(scope: Construct, id: string, props: ApiRouteProps) {
    super(scope, id);
    this.authorization = props.authorization;
    this.routeKey = `${props.method} ${props.path}`;
    if (props.authorization !== 'public' && !props.authorizer) {
      throw new Error(
        `ApiRoute ${this.node.path} (${this.routeKey}): authorization "${props.authorization}" needs the API's JWT authorizer; pass authorizer, or authorization: 'public' for a route anyone may call.`,
      );
    }
    const publicReason = props.publicReason?.trim();
    if (props.authorization === 'public' && !publicReason) {
      throw new Error(
        `ApiRoute ${this.node.path} (${this.routeKey}): a public route needs publicReason, one sentence on why anyone may call it (e.g. "the catalog is read by anyone").`,
      );
    }
    this.route = new HttpRoute(this, 'Route', {
      httpApi: props.httpApi,
      routeKey: HttpRouteKey.with(props.path, props.method),
      integration: new HttpLambdaIntegration('Integration', props.handler),
      authorizer: props.authorization === 'public' ? new HttpNoneAuthorizer() : props.authorizer,
    });
    if (publicReason) {
      Validations.of(this.route.node.defaultChild ?? this.route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: publicReason,
      });
    }
    Validations.of(props.handler.node.defaultChild ?? props.handler).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "API Gateway invokes the route's function synchronously and answers the caller with its error, so an asynchronous dead-letter target would never receive anything.",
    });
  }
}
